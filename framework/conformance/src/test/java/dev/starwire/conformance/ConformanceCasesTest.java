package dev.starwire.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.javalin.Starwire;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Plays the extra conformance cases ({@code src/test/resources/conformance-cases}: {@code DELETE} with the
 * signals in the query, {@code viewTransitionSelector}) against the conformance endpoint, sending each request
 * as {@code check.py} and the Datastar 1.0.1 client do, and compares the exact bytes.
 */
class ConformanceCasesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    private static Javalin app;

    @BeforeAll
    static void start() {
        Starwire starwire = Starwire.create();
        app = Javalin.create(config -> ConformanceServer.routes(config, starwire)).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    @TestFactory
    Stream<DynamicTest> everyExtraCasePasses() throws IOException, URISyntaxException {
        Path root = Path.of(ConformanceCasesTest.class.getResource("/conformance-cases").toURI());
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> methods = Files.list(root)) {
            for (Path method : methods.filter(Files::isDirectory).toList()) {
                try (Stream<Path> named = Files.list(method)) {
                    cases.addAll(named.filter(p -> Files.exists(p.resolve("input.json"))).sorted().toList());
                }
            }
        }
        assertTrue(cases.stream().anyMatch(c -> c.getParent().getFileName().toString().equals("delete")), "a DELETE case");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getParent().getFileName() + "/" + c.getFileName(),
                () -> play(c.getParent().getFileName().toString().toUpperCase(Locale.ROOT), c)));
    }

    private static void play(String method, Path dir) throws Exception {
        String input = Files.readString(dir.resolve("input.json"));
        String expected = Files.readString(dir.resolve("output.txt"));
        String base = "http://127.0.0.1:" + app.port() + "/test";
        HttpRequest.Builder b;
        if (method.equals("GET") || method.equals("DELETE")) {
            b = HttpRequest.newBuilder(URI.create(base + "?datastar=" + URLEncoder.encode(input, StandardCharsets.UTF_8)))
                    .method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b = HttpRequest.newBuilder(URI.create(base)).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(input));
        }
        HttpResponse<String> r = CLIENT.send(b.timeout(WAIT).header("Accept", "text/event-stream")
                .header("Datastar-Request", "true").build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(expected, r.body());
        assertFalse(r.body().isEmpty());
    }
}
