package dev.starwire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.servlet.StarwireServlets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * When the context closes, every open stream is told when to reconnect ({@code retry:}) and ends before the web
 * server stops; a context that is only stopped and started again (as the Spring TestContext framework pauses cached
 * contexts) keeps serving streams.
 */
class ShutdownTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void closingTheContextEndsEveryStreamWithItsReconnectHint() throws Exception {
        ConfigurableApplicationContext context = start();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> read(port, lines));
        StarwireServlets starwire = context.getBean(StarwireServlets.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (starwire.openStreams() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, starwire.openStreams());
        context.close();
        ended.get(20, TimeUnit.SECONDS);
        synchronized (lines) {
            assertTrue(lines.stream().anyMatch(l -> l.matches("retry: \\d+")), lines.toString());
        }
    }

    @Test
    void aStoppedAndRestartedContextStillOpensStreams() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            context.stop();
            context.start();
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/news")).build(), HttpResponse.BodyHandlers.ofInputStream());
            r.body().close();
            assertEquals(200, r.statusCode(), "a closed Starwire would answer 503");
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplication(TestApp.class).run("--server.port=0", "--server.address=127.0.0.1",
                "--starwire.keep-alive=200ms", "--spring.main.banner-mode=off");
    }

    private void read(int port, List<String> lines) {
        try {
            HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/news")).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
