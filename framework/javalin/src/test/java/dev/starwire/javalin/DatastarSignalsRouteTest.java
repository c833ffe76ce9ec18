package dev.starwire.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.DatastarResponse;
import dev.starwire.PatchSignals;
import dev.starwire.Signals;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
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
 * The one signals reader over real HTTP: every verb as the Datastar 1.0.1 client sends it (GET and DELETE in the
 * query, POST/PUT/PATCH as a JSON body, forms urlencoded and multipart), the same value on every read, and every
 * bad input answered 400/413 with a message, logged in one rate-limited line.
 */
class DatastarSignalsRouteTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    private static Javalin plain;
    private static TestServer plugin;

    /** The signals of the chat form. */
    public record Chat(String messageText, int count, List<String> tags) {
    }

    /** What the clock page shows. */
    public record Clock(Integer updateCount, Boolean isConnected, String startTime) {
    }

    @BeforeAll
    static void start() {
        Handler tree = ctx -> ctx.result(ctx.method() + " " + Datastar.signals(ctx) + (Datastar.signals(ctx).isForm()
                ? " form" : ""));
        Handler chat = ctx -> ctx.result(Datastar.signals(ctx, Chat.class).toString());
        plain = Javalin.create(config -> {
            Datastar.handleErrors(config);
            for (String path : List.of("/tree", "/chat")) {
                Handler h = path.equals("/tree") ? tree : chat;
                config.routes.get(path, h);
                config.routes.delete(path, h);
                config.routes.post(path, h);
                config.routes.put(path, h);
                config.routes.patch(path, h);
            }
            config.routes.post("/twice", ctx -> {
                Signals first = Datastar.signals(ctx);
                Chat typed = Datastar.signals(ctx, Chat.class);
                ctx.result(first + " " + typed + " " + Datastar.signals(ctx).equals(first));
            });
        }).start("127.0.0.1", 0);
        Starwire sw = Starwire.create(cfg -> cfg.maxSignalBytes = 100);
        plugin = new TestServer(sw, config -> {
            config.routes.get("/small", sw.get(ctx -> DatastarResponse.of(
                    PatchSignals.of(Datastar.signals(ctx).tree()))));
            config.routes.post("/small", sw.post(ctx -> DatastarResponse.of(
                    PatchSignals.of(Datastar.signals(ctx).tree()))));
            config.routes.delete("/clock", sw.delete(Clock.class, (ctx, c) -> DatastarResponse.of(
                    PatchSignals.of(Map.of("seen", String.valueOf(c))))));
            config.routes.get("/clock-stream", sw.stream(stream -> {
                Clock c = stream.signals(Clock.class);
                stream.send(PatchSignals.of(Map.of("seen", String.valueOf(c))));
                stream.close();
            }));
        });
    }

    @AfterAll
    static void stop() {
        plain.stop();
        plugin.close();
    }

    // ---- requests as the 1.0.1 client makes them ----

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** GET or DELETE: the signals as JSON in the datastar query parameter, no body, no Content-Type. */
    private static HttpResponse<String> inQuery(String method, String path, String signals) throws Exception {
        return inQuery(plain.port(), method, path, signals);
    }

    private static HttpResponse<String> inQuery(int port, String method, String path, String signals)
            throws Exception {
        String query = signals == null ? "" : "?datastar=" + URLEncoder.encode(signals, StandardCharsets.UTF_8);
        return CLIENT.send(HttpRequest.newBuilder(uri(port, path + query)).timeout(WAIT)
                .header("Datastar-Request", "true").method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POST, PUT or PATCH: the signals as a JSON body. */
    private static HttpResponse<String> withBody(String method, String path, String json) throws Exception {
        return send(plain.port(), method, path, "application/json", HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpResponse<String> send(int port, String method, String path, String contentType,
                                             HttpRequest.BodyPublisher body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(port, path)).timeout(WAIT).header("Datastar-Request", "true")
                .header("Content-Type", contentType).method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRejected(HttpResponse<String> r, int status, String messageStart) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
        assertTrue(r.body().startsWith(messageStart), r.body());
        assertFalse(r.body().contains("\tat ") || r.body().contains("Exception") || r.body().contains("dev.starwire"),
                "stack trace or class name in: " + r.body());
    }

    // ---- every verb ----

    @Test
    void getAndDeleteReadTheDatastarQueryParameter() throws Exception {
        String signals = "{\"count\":1,\"text\":\"a b+c&d=é\"}";
        assertEquals("GET " + signals, inQuery("GET", "/tree", signals).body());
        assertEquals("DELETE " + signals, inQuery("DELETE", "/tree", signals).body());
        assertEquals("DELETE {}", inQuery("DELETE", "/tree", null).body());
    }

    @Test
    void aDeleteRouteOfThePluginGetsWhatABrowserSends() throws Exception {
        String signals = "{\"updateCount\":3,\"isConnected\":true,\"startTime\":\"10:00:00\"}";
        HttpResponse<String> r = inQuery(plugin.port(), "DELETE", "/clock", signals);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"seen\":\"Clock[updateCount=3, isConnected=true, startTime=10:00:00]\"}", r.body());
    }

    @Test
    void postPutAndPatchReadTheJsonBody() throws Exception {
        for (String method : List.of("POST", "PUT", "PATCH")) {
            assertEquals(method + " {\"user\":{\"name\":\"Zoë\"}}",
                    withBody(method, "/tree", "{\"user\":{\"name\":\"Zoë\"}}").body());
        }
        byte[] json = "{\"chunked\":true}".getBytes(StandardCharsets.UTF_8);
        assertEquals("POST {\"chunked\":true}", send(plain.port(), "POST", "/tree", "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json))).body());
    }

    @Test
    void aUrlEncodedFormIsBoundToTheSameRecord() throws Exception {
        HttpResponse<String> r = send(plain.port(), "POST", "/chat", "application/x-www-form-urlencoded",
                HttpRequest.BodyPublishers.ofString("messageText=hi+there&count=3&tags=a&tags=b"));
        assertEquals("Chat[messageText=hi there, count=3, tags=[a, b]]", r.body());
        assertEquals("PUT {\"a\":\"é\"} form", send(plain.port(), "PUT", "/tree",
                "application/x-www-form-urlencoded; charset=UTF-8", HttpRequest.BodyPublishers.ofString("a=%C3%A9"))
                .body());
    }

    @Test
    void aMultipartFormIsBoundToTheSameRecordWithoutItsFiles() throws Exception {
        String boundary = "----formboundary42";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"messageText\"\r\n\r\nhi\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n7\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\nPNG...\r\n"
                + "--" + boundary + "--\r\n";
        HttpResponse<String> r = send(plain.port(), "POST", "/chat", "multipart/form-data; boundary=" + boundary,
                HttpRequest.BodyPublishers.ofString(body));
        assertEquals("Chat[messageText=hi, count=7, tags=null]", r.body());
        String patched = send(plain.port(), "PATCH", "/tree", "multipart/form-data; boundary=" + boundary,
                HttpRequest.BodyPublishers.ofString(body)).body(); // the parts' order is Javalin's
        assertTrue(patched.equals("PATCH {\"messageText\":\"hi\",\"count\":\"7\"} form")
                || patched.equals("PATCH {\"count\":\"7\",\"messageText\":\"hi\"} form"), patched);
    }

    @Test
    void aFormSentWithGetOrDeleteHasItsFieldsInTheQuery() throws Exception {
        for (String method : List.of("GET", "DELETE")) {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(uri(plain.port(), "/chat?messageText=q&count=2"))
                    .timeout(WAIT).header("Datastar-Request", "true")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("Chat[messageText=q, count=2, tags=null]", r.body(), method);
        }
    }

    @Test
    void readingTwiceReturnsTheSameValue() throws Exception {
        assertEquals("{\"messageText\":\"hi\",\"count\":2} Chat[messageText=hi, count=2, tags=null] true",
                withBody("POST", "/twice", "{\"messageText\":\"hi\",\"count\":2}").body());
    }

    // ---- bad input: 400/413 with a message ----

    @Test
    void anEmptyOrBlankBodyIs400() throws Exception {
        for (String method : List.of("POST", "PUT", "PATCH")) {
            assertRejected(withBody(method, "/tree", ""), 400, "the request body is empty");
            assertRejected(withBody(method, "/chat", " \r\n "), 400, "the request body is empty");
        }
        assertRejected(inQuery("GET", "/tree", ""), 400, "the datastar query parameter is empty");
        assertEquals("GET {}", inQuery("GET", "/tree", null).body(), "no parameter at all: no signals");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertRejected(inQuery("GET", "/tree", "{\"count\":"), 400, "signals are not valid JSON at line 1");
        assertRejected(withBody("POST", "/tree", "{count: 1}"), 400, "signals are not valid JSON at line 1");
        assertRejected(withBody("POST", "/tree", "{} {}"), 400, "signals are not valid JSON");
        assertRejected(inQuery("DELETE", "/tree", "[1]"), 400, "signals must be a JSON object, got an array");
        assertRejected(withBody("PUT", "/tree", "null"), 400, "signals must be a JSON object, got null");
    }

    @Test
    void nestingDeeperThan64AndNumbersLongerThan1000DigitsHaveTheirOwnMessages() throws Exception {
        String nested64 = "{\"a\":".repeat(63) + "{}" + "}".repeat(63);
        assertEquals(200, withBody("POST", "/tree", nested64).statusCode());
        assertRejected(withBody("POST", "/tree", "{\"a\":" + nested64 + "}"), 400,
                "signals are nested deeper than 64 levels");
        assertRejected(withBody("POST", "/tree", "{\"n\":" + "1".repeat(1001) + "}"), 400,
                "signals hold a number longer than 1000 characters");
        assertRejected(inQuery("GET", "/tree", "{\"n\":" + "1".repeat(1001) + "}"), 400,
                "signals hold a number longer than 1000 characters");
    }

    @Test
    void wronglyTypedSignalsAre400NeverCoerced() throws Exception {
        assertRejected(inQuery("GET", "/chat", "{\"count\":\"abc\"}"), 400,
                "signal 'count' must be an integer (int), got the string \"abc\"");
        assertRejected(withBody("POST", "/chat", "{\"count\":1e400}"), 400,
                "signals hold a number too large for a double");
        assertRejected(withBody("POST", "/chat", "{\"count\":1.5}"), 400,
                "signal 'count' must be an integer (int), got the number 1.5");
        assertRejected(withBody("POST", "/chat", "{\"messageText\":42}"), 400,
                "signal 'messageText' must be a string, got the number 42");
        assertRejected(withBody("POST", "/chat", "{\"messageText\":false}"), 400,
                "signal 'messageText' must be a string, got false");
        assertRejected(inQuery("DELETE", "/chat", "{\"tags\":{\"a\":1}}"), 400, "signal 'tags' must be an array");
    }

    @Test
    void aStreamWithWronglyTypedSignalsIs400NotAStream() throws Exception {
        String ok = "{\"updateCount\":2,\"isConnected\":true}";
        HttpResponse<String> r = inQuery(plugin.port(), "GET", "/clock-stream", ok);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("Clock[updateCount=2, isConnected=true, startTime=null]"), r.body());
        assertRejected(inQuery(plugin.port(), "GET", "/clock-stream", "{\"updateCount\":\"abc\"}"), 400,
                "signal 'updateCount' must be an integer (Integer), got the string \"abc\"");
        assertRejected(inQuery(plugin.port(), "GET", "/clock-stream", "{\"updateCount\":1e400}"), 400,
                "signals hold a number too large for a double");
    }

    @Test
    void theConfiguredLimitIs413ForBodiesQueriesAndChunkedBodies() throws Exception {
        assertEquals("{\"a\":1}", inQuery(plugin.port(), "GET", "/small", "{\"a\":1}").body());
        assertRejected(inQuery(plugin.port(), "GET", "/small", "{\"a\":\"" + "x".repeat(120) + "\"}"), 413,
                "signals are larger than the limit of 100 bytes");
        assertRejected(send(plugin.port(), "POST", "/small", "application/json",
                HttpRequest.BodyPublishers.ofString("{\"a\":\"" + "x".repeat(200) + "\"}")), 413,
                "signals are larger than the limit of 100 bytes");
        byte[] json = ("{\"a\":\"" + "x".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertRejected(send(plugin.port(), "POST", "/small", "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json))), 413,
                "signals are larger than the limit of 100 bytes");
        assertRejected(send(plugin.port(), "POST", "/small", "application/x-www-form-urlencoded",
                HttpRequest.BodyPublishers.ofString("a=" + "x".repeat(200))), 413,
                "signals are larger than the limit of 100 bytes");
    }

    @Test
    void theDefaultLimitIsOneMebibyte() throws Exception {
        String justOver = "{\"a\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertRejected(withBody("POST", "/tree", justOver), 413, "signals are larger than the limit of 1048576 bytes");
        String justUnder = "{\"a\":\"" + "x".repeat(1024 * 1024 - 8) + "\"}";
        assertEquals(200, withBody("POST", "/tree", justUnder).statusCode());
    }

    // ---- broken framing: 400, never a 500 ----

    @Test
    void aChunkedBodyWithABadChunkSizeIs400() throws Exception {
        String reply = raw("POST /tree HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", false);
        assertTrue(reply.startsWith("HTTP/1.1 400 "), reply);
        assertFalse(reply.contains("Exception") || reply.contains("\tat "), reply);
    }

    @Test
    void aBodyShorterThanItsContentLengthIs400() throws Exception {
        String reply = raw("POST /tree HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\nConnection: close\r\n\r\n{\"a\":1}", true);
        assertTrue(reply.startsWith("HTTP/1.1 400 "), reply);
        assertFalse(reply.contains("Exception") || reply.contains("\tat "), reply);
    }

    /** Writes {@code request} as is; {@code halfClose} ends the sending side so the server sees the body end. */
    private static String raw(String request, boolean halfClose) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout((int) WAIT.toMillis());
            s.connect(new InetSocketAddress("127.0.0.1", plain.port()));
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
