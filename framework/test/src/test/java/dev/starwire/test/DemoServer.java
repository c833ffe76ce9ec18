package dev.starwire.test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.SseWriter;
import gg.jte.html.escape.Escape;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real app for the kit's own tests, on the JDK's HTTP server at 127.0.0.1 with a free port; every
 * stream is framed by the core {@link SseWriter}. A chat (page, live stream, send), an echo of what the
 * client sent, one-shot answers, a counter stream that resumes from {@code Last-Event-ID}, and broken streams.
 */
final class DemoServer implements RunningApp {
    static final String PAGE = "<!DOCTYPE html><html><head><title>chat</title></head>"
            + "<body data-signals='{\"messageText\":\"\",\"isConnected\":false,\"_draft\":\"local\"}'>"
            + "<ul id=\"messages\"></ul><svg id=\"chart\"></svg>"
            + "<form data-on:submit=\"@post('/chat/send')\"><input data-bind:message-text></form>"
            + "<button id=\"ping\" data-on:click__prevent=\"$pings++; @get(`/echo`); @post('/echo')\">ping</button>"
            + "<button id=\"clear\" data-on:click=\"$messageText = ''\">clear</button>"
            + "<div data-init=\"@get('/chat/stream')\"></div></body></html>";
    /** Forms sent with {@code {contentType: 'form'}}: bound fields, a submit button, a multipart form. */
    static final String FORM_PAGE = "<!DOCTYPE html><html><head><title>form</title></head>"
            + "<body data-signals='{\"messageText\":\"typed é\",\"subscribe\":true}'>"
            + "<form id=\"f\" data-on:submit=\"@post('/echo', {contentType: 'form'})\">"
            + "<input name=\"name\" value=\"Ana\"><input name=\"message\" data-bind:message-text>"
            + "<input type=\"checkbox\" name=\"subscribe\" data-bind:subscribe>"
            + "<input type=\"checkbox\" name=\"unchecked\"><input name=\"off\" disabled value=\"x\">"
            + "<input name=\"nameless-field-has-a-name\" value=\"\"><input value=\"no name\">"
            + "<select name=\"size\"><option value=\"s\">S</option><option value=\"l\" selected>L</option></select>"
            + "<textarea name=\"note\">a b&amp;c</textarea>"
            + "<button id=\"go\" name=\"action\" value=\"save\" data-on:click=\"@put('/echo', {contentType: 'form'})\">"
            + "Save</button></form>"
            + "<form id=\"upload\" enctype=\"multipart/form-data\"><input name=\"title\" value=\"é\"></form>"
            + "<button id=\"search\" data-on:click=\"@get('/echo?lang=en', {contentType: 'form', selector: '#f'})\">"
            + "search</button>"
            + "<button id=\"remove\" data-on:click=\"@delete('/echo', {selector: '#upload', contentType: 'form'})\">"
            + "remove</button></body></html>";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger messageIds = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    /** Counts down each time a chat stream notices that its client went away. */
    volatile CountDownLatch disconnected = new CountDownLatch(1);

    private record Subscriber(SseWriter sse) {
    }

    DemoServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            try {
                route(ex);
            } catch (Exception e) {
                ex.close(); // a test app: a client that went away mid-answer is fine
            }
        });
        server.start();
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    int subscriberCount() {
        return subscribers.size();
    }

    private void route(HttpExchange ex) throws Exception {
        String path = ex.getRequestURI().getPath();
        switch (path) {
            case "/chat" -> {
                if (!ex.getRequestHeaders().containsKey("Cookie")) {
                    ex.getResponseHeaders().add("Set-Cookie", "sid=s" + sessions.incrementAndGet() + "; Path=/");
                }
                send(ex, 200, "text/html; charset=utf-8", PAGE, Map.of());
            }
            case "/old-page" -> send(ex, 200, "text/html", "<body><button data-on-click=\"@post('/send')\""
                    + " data-attr-disabled=\"!$isConnected\">Send</button></body>", Map.of());
            case "/form" -> send(ex, 200, "text/html; charset=utf-8", FORM_PAGE, Map.of());
            case "/echo" -> {
                // exactly what arrived, as the client sent it
                byte[] body = ex.getRequestBody().readAllBytes();
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                SseWriter sse = openSse(ex);
                ObjectNode echo = JSON.createObjectNode();
                echo.put("method", ex.getRequestMethod());
                echo.put("datastarRequest", String.valueOf(ex.getRequestHeaders().getFirst("Datastar-Request")));
                echo.put("accept", String.valueOf(ex.getRequestHeaders().getFirst("Accept")));
                echo.put("contentType", String.valueOf(type));
                echo.put("cookie", String.valueOf(ex.getRequestHeaders().getFirst("Cookie")));
                echo.put("query", String.valueOf(ex.getRequestURI().getRawQuery()));
                echo.put("body", new String(body, StandardCharsets.UTF_8));
                if (type == null || type.startsWith("application/json")) {
                    echo.set("received", signals(ex.getRequestMethod(), ex.getRequestURI().getRawQuery(), body));
                }
                sse.write(PatchSignals.of(Map.of("echo", echo))).flush();
                ex.close();
            }
            case "/chat/stream" -> chatStream(ex);
            case "/chat/send" -> {
                String text = signals(ex.getRequestMethod(), ex.getRequestURI().getRawQuery(),
                        ex.getRequestBody().readAllBytes()).path("messageText").asText();
                PatchElements message = PatchElements.builder().selector("#messages").mode(ElementPatchMode.APPEND)
                        .elements("<li class=\"message\">" + escape(text) + "</li>")
                        .eventId("m" + messageIds.incrementAndGet()).build();
                for (Subscriber s : subscribers) {
                    synchronized (s) {
                        try {
                            s.sse().write(message).flush();
                        } catch (IOException gone) {
                            subscribers.remove(s);
                        }
                    }
                }
                openSse(ex).write(PatchSignals.of(Map.of("messageText", ""))).flush();
                ex.close();
            }
            case "/counter" -> {
                // three updates with ids; a reconnect with Last-Event-ID resumes after that id
                String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
                int from = last == null ? 1 : Integer.parseInt(last) + 1;
                SseWriter sse = openSse(ex);
                for (int i = from; i <= 3; i++) {
                    sse.write(PatchSignals.builder().signals(Map.of("updateCount", i, "resumedFrom", from))
                            .eventId(Integer.toString(i)).build());
                }
                sse.flush();
                ex.close();
            }
            case "/html" -> send(ex, 200, "text/html", "<li class=\"message\">one-shot</li>",
                    Map.of("datastar-selector", "#messages", "datastar-mode", "append"));
            case "/svg" -> send(ex, 200, "text/html", "<circle id=\"dot\" r=\"4\"></circle>",
                    Map.of("datastar-selector", "#chart", "datastar-mode", "inner", "datastar-namespace", "svg"));
            case "/created" -> send(ex, 201, "text/html", "<li class=\"message\">not applied</li>",
                    Map.of("datastar-selector", "#messages", "datastar-mode", "append"));
            case "/json" -> send(ex, 200, "application/json", "{\"isConnected\":true,\"messageText\":\"kept?\"}",
                    Map.of("datastar-only-if-missing", "true"));
            case "/js" -> send(ex, 200, "text/javascript", "console.log('one-shot')",
                    Map.of("datastar-script-attributes", "{\"type\":\"module\"}"));
            case "/bad" -> send(ex, 400, "application/json", "{\"error\":\"should not be applied\"}", Map.of());
            case "/nothing" -> {
                ex.sendResponseHeaders(204, -1);
                ex.close();
            }
            case "/broken/mode" -> raw(ex, "event: datastar-patch-elements\ndata: selector #messages\n"
                    + "data: mode merge\ndata: elements <li>x</li>\n\n");
            case "/broken/no-id" -> raw(ex, "event: datastar-patch-elements\ndata: elements <li>no id</li>\n\n");
            case "/broken/cr" -> raw(ex, "event: datastar-patch-elements\ndata: selector #messages\n"
                    + "data: mode append\ndata: elements <li>hi\rdata: mode remove</li>\n\n");
            case "/broken/tutorial" -> raw(ex, "event: datastar-patch-elements\n"
                    + "data: {\"selector\":\"#messages\",\"content\":\"<li>x</li>\",\"merge\":\"inner\"}\n\n");
            default -> send(ex, 404, "text/plain", "not found", Map.of());
        }
    }

    private void chatStream(HttpExchange ex) throws IOException, InterruptedException {
        SseWriter sse = openSse(ex);
        Subscriber me = new Subscriber(sse);
        synchronized (me) {
            subscribers.add(me); // subscribed before the client can see isConnected: no message is missed
            sse.write(PatchSignals.of(Map.of("isConnected", true))).flush();
        }
        // keepalives find out when the client goes away (bounded: a test never keeps a stream 60 s)
        try {
            for (int i = 0; i < 1200; i++) {
                TimeUnit.MILLISECONDS.sleep(50);
                synchronized (me) {
                    sse.comment("keepalive").flush();
                }
            }
        } catch (IOException gone) {
            disconnected.countDown();
        } finally {
            subscribers.remove(me);
            ex.close();
        }
    }

    /** GET and DELETE carry the signals in the query, the other methods in the body. */
    private static ObjectNode signals(String method, String query, byte[] body) throws IOException {
        String json;
        if (method.equals("GET") || method.equals("DELETE")) {
            json = "{}";
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("datastar=")) {
                        json = URLDecoder.decode(pair.substring(9), StandardCharsets.UTF_8);
                    }
                }
            }
        } else {
            json = new String(body, StandardCharsets.UTF_8);
        }
        return (ObjectNode) JSON.readTree(json);
    }

    private static SseWriter openSse(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.flush();
        return new SseWriter(out);
    }

    private static void raw(HttpExchange ex, String sse) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        ex.getResponseBody().write(sse.getBytes(StandardCharsets.UTF_8));
        ex.close();
    }

    private static void send(HttpExchange ex, int status, String type, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static String escape(String s) {
        StringOutput out = new StringOutput();
        Escape.htmlContent(s, out);
        return out.toString();
    }
}
