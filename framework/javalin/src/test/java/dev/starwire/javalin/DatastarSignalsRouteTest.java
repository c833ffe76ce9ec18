package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading signals with {@link Datastar#signals} over real HTTP, and every bad input answered by handleErrors. */
class DatastarSignalsRouteTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    private static Javalin app;

    /** The signals of the chat form. */
    public record Chat(String messageText, int count, List<String> tags) {
    }

    @BeforeAll
    static void start() {
        app = Javalin.create(config -> {
            Datastar.handleErrors(config);
            config.routes.get("/tree", ctx -> ctx.result(Datastar.signals(ctx).toString()));
            config.routes.post("/tree", ctx -> ctx.result(Datastar.signals(ctx).toString()));
            config.routes.put("/tree", ctx -> ctx.result(Datastar.signals(ctx).toString()));
            config.routes.get("/chat", ctx -> ctx.result(Datastar.signals(ctx, Chat.class).toString()));
            config.routes.post("/chat", ctx -> ctx.result(Datastar.signals(ctx, Chat.class).toString()));
            config.routes.get("/small", ctx -> ctx.result(Datastar.signals(ctx, 32).toString()));
            config.routes.post("/small", ctx -> ctx.result(Datastar.signals(ctx, 32).toString()));
        }).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    private static HttpResponse<String> get(String path, String signals) throws Exception {
        String query = signals == null ? "" : "?datastar=" + URLEncoder.encode(signals, StandardCharsets.UTF_8);
        return CLIENT.send(HttpRequest.newBuilder(uri(path + query)).timeout(WAIT).header("Datastar-Request", "true")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body)
            throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).timeout(WAIT).header("Datastar-Request", "true")
                .header("Content-Type", "application/json").method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRejected(HttpResponse<String> r, int status, String messageStart) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                r.headers().toString());
        assertTrue(r.body().startsWith(messageStart), r.body());
        assertFalse(r.body().contains("\tat ") || r.body().contains("Exception") || r.body().contains("dev.starwire"),
                "stack trace or class name in: " + r.body());
    }

    @Test
    void getReadsTheDatastarQueryParameter() throws Exception {
        HttpResponse<String> r = get("/tree", "{\"count\":1,\"text\":\"a b+c&d=é\"}");
        assertEquals(200, r.statusCode());
        assertEquals("{\"count\":1,\"text\":\"a b+c&d=é\"}", r.body());
    }

    @Test
    void postAndPutReadTheBody() throws Exception {
        assertEquals("{\"user\":{\"name\":\"Zoë\"}}", post("/tree", "{\"user\":{\"name\":\"Zoë\"}}").body());
        assertEquals("{\"a\":[1,2]}", send("PUT", "/tree", HttpRequest.BodyPublishers.ofString("{\"a\":[1,2]}")).body());
    }

    @Test
    void aChunkedBodyIsReadToo() throws Exception {
        byte[] json = "{\"chunked\":true}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = send("POST", "/tree",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json)));
        assertEquals("{\"chunked\":true}", r.body());
    }

    @Test
    void typedBindingFillsTheRecord() throws Exception {
        String json = "{\"messageText\":\"hi\",\"count\":3,\"tags\":[\"x\"],\"ignored\":{}}";
        assertEquals("Chat[messageText=hi, count=3, tags=[x]]", get("/chat", json).body());
        assertEquals("Chat[messageText=hi, count=3, tags=[x]]", post("/chat", json).body());
    }

    @Test
    void absentSignalsAreAnEmptyObject() throws Exception {
        assertEquals("{}", get("/tree", null).body());
        assertEquals("{}", post("/tree", "").body());
        assertEquals("Chat[messageText=null, count=0, tags=null]", get("/chat", null).body());
        assertEquals("Chat[messageText=null, count=0, tags=null]", post("/chat", "").body());
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertRejected(get("/tree", "{\"count\":"), 400, "signals are not valid JSON at line 1");
        assertRejected(post("/tree", "{count: 1}"), 400, "signals are not valid JSON at line 1");
        assertRejected(post("/tree", "{} {}"), 400, "signals are not valid JSON");
    }

    @Test
    void aNonObjectIs400() throws Exception {
        assertRejected(get("/tree", "[1]"), 400, "signals must be a JSON object, got an array");
        assertRejected(post("/tree", "\"text\""), 400, "signals must be a JSON object, got a string");
        assertRejected(post("/tree", "null"), 400, "signals must be a JSON object, got null");
    }

    @Test
    void nestingDeeperThan64Is400() throws Exception {
        assertEquals(200, post("/tree", nested(64)).statusCode());
        assertRejected(post("/tree", nested(65)), 400, "signals are nested deeper than 64 levels");
        assertRejected(get("/tree", nested(65)), 400, "signals are nested deeper than 64 levels");
    }

    @Test
    void aBodyOverTheDefaultLimitOfOneMebibyteIs413() throws Exception {
        String justOver = "{\"a\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertRejected(post("/tree", justOver), 413, "signals are larger than the limit of 1048576 bytes");
        String justUnder = "{\"a\":\"" + "x".repeat(1024 * 1024 - 8) + "\"}";
        assertEquals(200, post("/tree", justUnder).statusCode());
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        byte[] json = ("{\"a\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = send("POST", "/small",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json)));
        assertRejected(r, 413, "signals are larger than the limit of 32 bytes");
    }

    @Test
    void aQueryOverACustomLimitIs413() throws Exception {
        assertEquals("{\"a\":1}", get("/small", "{\"a\":1}").body());
        assertRejected(get("/small", "{\"a\":\"" + "x".repeat(40) + "\"}"), 413,
                "signals are larger than the limit of 32 bytes");
    }

    @Test
    void aWrongTypeForARecordFieldIs400() throws Exception {
        assertRejected(post("/chat", "{\"count\":\"many\"}"), 400, "signal 'count' cannot be read as int");
        assertRejected(get("/chat", "{\"tags\":{\"a\":1}}"), 400, "signal 'tags' cannot be read as");
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }
}
