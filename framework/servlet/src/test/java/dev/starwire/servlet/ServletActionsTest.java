package dev.starwire.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.DatastarResponse;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Actions on a plain servlet container (Jetty ee10, no Javalin): signals into records, one-shot and stream
 * answers with their headers, the CSRF check, the method check, and every bad request answered 4xx with a
 * plain-text reason, never a stack trace.
 */
class ServletActionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    private static ServletServer server;

    /** The signals of the greeting form. */
    public record Greet(String name, int times) {
    }

    @BeforeAll
    static void start() {
        StarwireServlets starwire = StarwireServlets.create(cfg -> {
            cfg.maxSignalBytes = 1000;
            cfg.allowedOrigins.add("https://app.example.com");
        });
        server = new ServletServer(starwire, context -> {
            starwire.register(context, "/greet", starwire.post(Greet.class, (req, res, g) ->
                    DatastarResponse.of(PatchElements.inner("#greeting", "<b>Hello " + g.name() + " x" + g.times()
                            + "</b>"))));
            starwire.register(context, "/both", starwire.put((req, res) -> DatastarResponse.of(
                    PatchSignals.of(Map.of("text", "")), PatchElements.inner("#error", "<i>ok</i>"))));
            starwire.register(context, "/search", starwire.get(Greet.class, (req, res, g) ->
                    DatastarResponse.of(PatchSignals.of(Map.of("found", String.valueOf(g.name()))))));
            starwire.register(context, "/quiet", starwire.delete((req, res) -> DatastarResponse.noContent()));
            starwire.register(context, "/conflict", starwire.patch((req, res) ->
                    DatastarResponse.error(409, "already sent")));
            starwire.register(context, "/boom", starwire.get((req, res) -> {
                throw new IllegalStateException("a bug in dev.starwire.example with secrets");
            }));
            starwire.register(context, "/null", starwire.get((req, res) -> null));
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, byte[] body,
                                             String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(WAIT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Writes {@code request} as is on a socket and reads the whole reply. */
    private static String raw(String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) WAIT.toMillis());
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static HttpResponse<String> datastar(String method, String path, String json) throws Exception {
        return send(method, path, json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), "Datastar-Request", "true");
    }

    private static void assertRefused(HttpResponse<String> r, int status, String messageStart) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("text/plain;charset=utf-8", r.headers().firstValue("Content-Type").orElse("")
                .replace(" ", "").toLowerCase());
        assertTrue(r.body().startsWith(messageStart), r.body());
        assertFalse(r.body().contains("\tat ") || r.body().contains("Exception") || r.body().contains("dev.starwire"),
                "stack trace or class name in: " + r.body());
    }

    @Test
    void aPostReadsItsSignalsIntoARecordAndAnswersWithOneShotHtml() throws Exception {
        HttpResponse<String> r = datastar("POST", "/greet", "{\"name\":\"Ana\",\"times\":2}");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals("#greeting", r.headers().firstValue("datastar-selector").orElse(null));
        assertEquals("inner", r.headers().firstValue("datastar-mode").orElse(null));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("<b>Hello Ana x2</b>", r.body());
    }

    @Test
    void severalEventsAreAShortStreamWithTheStreamHeaders() throws Exception {
        HttpResponse<String> r = datastar("PUT", "/both", "{}");
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream;charset=utf-8", r.headers().firstValue("Content-Type").orElse("")
                .replace(" ", "").toLowerCase());
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("no", r.headers().firstValue("X-Accel-Buffering").orElse(null));
        assertEquals("event: datastar-patch-signals\ndata: signals {\"text\":\"\"}\n\n"
                + "event: datastar-patch-elements\ndata: selector #error\ndata: mode inner\ndata: elements <i>ok</i>\n\n",
                r.body());
    }

    @Test
    void getAndDeleteReadTheQueryAndNoContentIs204() throws Exception {
        String q = java.net.URLEncoder.encode("{\"name\":\"Bo\",\"times\":1}", StandardCharsets.UTF_8);
        HttpResponse<String> found = send("GET", "/search?datastar=" + q, null, null);
        assertEquals(200, found.statusCode());
        assertEquals("{\"found\":\"Bo\"}", found.body());
        assertEquals(204, datastar("DELETE", "/quiet", null).statusCode());
        HttpResponse<String> conflict = datastar("PATCH", "/conflict", "{}");
        assertRefused(conflict, 409, "already sent");
    }

    @Test
    void aMutatingRequestNeedsTheDatastarHeaderAndASameOrAllowedOrigin() throws Exception {
        byte[] json = "{\"name\":\"Ana\",\"times\":1}".getBytes(StandardCharsets.UTF_8);
        assertRefused(send("POST", "/greet", "application/json", json), 403,
                "refused: a POST to this route needs the header 'Datastar-Request: true'");
        assertRefused(send("POST", "/greet", "application/json", json, "Datastar-Request", "true",
                "Origin", "https://evil.example"), 403, "refused: cross-origin request from 'https://evil.example'");
        assertEquals(200, send("POST", "/greet", "application/json", json, "Datastar-Request", "true",
                "Origin", "https://app.example.com").statusCode(), "an allowed origin");
        assertEquals(200, send("POST", "/greet", "application/json", json, "Datastar-Request", "true",
                "Origin", server.base()).statusCode(), "the page's own origin");
        assertRefused(send("DELETE", "/quiet", null, null), 403, "refused: a DELETE");
        assertEquals(200, send("GET", "/search", null, null).statusCode(), "a GET needs no header");
    }

    @Test
    void anotherMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = datastar("GET", "/greet", null);
        assertRefused(r, 405, "method GET is not allowed here");
        assertEquals("POST", r.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void badSignalsAre400Or413WithTheirReason() throws Exception {
        assertRefused(datastar("POST", "/greet", "{\"name\":"), 400, "signals are not valid JSON");
        assertRefused(datastar("POST", "/greet", "[1,2]"), 400, "signals must be a JSON object, got an array");
        assertRefused(datastar("POST", "/greet", ""), 400, "the request body is empty");
        assertRefused(datastar("POST", "/greet", "{\"name\":\"Ana\",\"times\":\"abc\"}"), 400,
                "signal 'times' must be an integer (int), got the string \"abc\"");
        assertRefused(datastar("POST", "/greet", "{\"name\":\"" + "x".repeat(2000) + "\"}"), 413,
                "signals are larger than the limit of 1000 bytes");
        assertRefused(send("GET", "/search?datastar=%7B%22a%22%3A", null, null), 400, "signals are not valid JSON");
        String reply = raw("GET /search?x=1&datastar=%7B%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 400 "), reply);
        assertFalse(reply.contains("Exception") || reply.contains("\tat "), reply);
    }

    @Test
    void formsAreReadUrlencodedAndMultipartWithoutTheirFiles() throws Exception {
        HttpResponse<String> form = send("POST", "/greet", "application/x-www-form-urlencoded",
                "name=%C3%89va&times=3".getBytes(StandardCharsets.UTF_8), "Datastar-Request", "true");
        assertEquals("<b>Hello \u00c9va x3</b>", form.body());

        String boundary = "----starwire" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String[] part : List.of(new String[] {"name", null, "Zo\u00e9"}, new String[] {"times", null, "4"},
                new String[] {"photo", "me.png", "\u0089PNG not a signal"})) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part[0] + "\""
                    + (part[1] == null ? "" : "; filename=\"" + part[1] + "\"\r\nContent-Type: image/png")
                    + "\r\n\r\n" + part[2] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> multipart = send("POST", "/greet", "multipart/form-data; boundary=" + boundary,
                body.toByteArray(), "Datastar-Request", "true");
        assertEquals(200, multipart.statusCode(), multipart.body());
        assertEquals("<b>Hello Zo\u00e9 x4</b>", multipart.body());
    }

    @Test
    void anUnexpectedFailureIsAPlain500() throws Exception {
        assertRefused(send("GET", "/boom", null, null), 500, "internal server error");
        assertRefused(send("GET", "/null", null, null), 500, "internal server error");
    }
}
