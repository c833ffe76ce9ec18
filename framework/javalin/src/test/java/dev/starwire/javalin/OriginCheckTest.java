package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The origin of a mutating request is compared with the request's own scheme, host and port; forwarded
 * headers count only when the application says a proxy it runs sets them.
 */
class OriginCheckTest {

    private static int status(TestServer server, String... headers) throws Exception {
        String[] all = new String[headers.length + 1];
        all[0] = "Datastar-Request: true";
        System.arraycopy(headers, 0, all, 1, headers.length);
        try (SseConnection c = SseConnection.request(server.port(), "PUT", "/change", "{}".getBytes(StandardCharsets.UTF_8),
                0, all)) {
            return c.status();
        }
    }

    private static TestServer server(Consumer<StarwireConfig> settings) {
        Starwire sw = Starwire.create(settings);
        return new TestServer(sw, c -> c.routes.put("/change", sw.guarded(ctx -> ctx.result("changed"))));
    }

    @Test
    void anHttpsOriginIsRefusedOnAPlainHttpServer() throws Exception {
        try (TestServer server = server(cfg -> { })) {
            int port = server.port();
            // Before: only host and port were compared, so the https origin passed.
            assertEquals(403, status(server, "Origin: https://127.0.0.1:" + port));
            assertEquals(200, status(server, "Origin: http://127.0.0.1:" + port));
            assertEquals(403, status(server, "Origin: http://127.0.0.1:" + (port == 1 ? 2 : port - 1)));
            assertEquals(403, status(server, "Origin: http://localhost:" + port), "another host name");
        }
    }

    @Test
    void forwardedHeadersAreIgnoredUnlessTrusted() throws Exception {
        try (TestServer server = server(cfg -> { })) {
            for (String[] spoof : List.of(
                    new String[] {"Origin: https://127.0.0.1:" + server.port(), "X-Forwarded-Proto: https"},
                    new String[] {"Origin: https://app.example.com", "X-Forwarded-Proto: https",
                            "X-Forwarded-Host: app.example.com"})) {
                assertEquals(403, status(server, spoof), String.join(", ", spoof));
            }
        }
    }

    @Test
    void behindATrustedProxyTheForwardedSchemeHostAndPortAreTheRequestsOwn() throws Exception {
        try (TestServer server = server(cfg -> cfg.trustForwardedHeaders = true)) {
            assertEquals(200, status(server, "Origin: https://app.example.com", "X-Forwarded-Proto: https",
                    "X-Forwarded-Host: app.example.com"));
            assertEquals(200, status(server, "Origin: https://app.example.com:8443", "X-Forwarded-Proto: https",
                    "X-Forwarded-Host: app.example.com", "X-Forwarded-Port: 8443"));
            assertEquals(200, status(server, "Origin: https://app.example.com", "X-Forwarded-Proto: https, http",
                    "X-Forwarded-Host: app.example.com, internal:8080"), "the client-most value counts");
            assertEquals(403, status(server, "Origin: http://app.example.com", "X-Forwarded-Proto: https",
                    "X-Forwarded-Host: app.example.com"), "the scheme still has to match");
            assertEquals(403, status(server, "Origin: https://evil.example", "X-Forwarded-Proto: https",
                    "X-Forwarded-Host: app.example.com"));
            assertEquals(200, status(server, "Origin: http://127.0.0.1:" + server.port()),
                    "without forwarded headers, the connection's own");
        }
    }
}
