package dev.starwire.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.starwire.DatastarEvent;
import dev.starwire.DatastarResponse;
import dev.starwire.PatchSignals;
import dev.starwire.SseWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The server side of a scripted scenario, on the JDK's HTTP server at 127.0.0.1: {@code GET /s/page} is the
 * scenario's page (with the Datastar client from its CDN address, pinned by SRI, under a real
 * Content-Security-Policy whose nonce changes on every load); every other request is an action, answered by
 * the next queued {@link Answer} and recorded as it arrived (method, path, where the signals travelled and
 * what they were). Events are framed by the core {@link SseWriter}, one-shot answers written from the core
 * {@link DatastarResponse}: the bytes a Starwire app sends.
 */
final class ScenarioServer implements RunningApp {
    static final String PAGE = "/s/page";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new ArrayList<>(); // guarded by itself
    private final List<String> errors = new ArrayList<>(); // guarded by requests
    private volatile String html = "";
    private volatile String nonce = "";

    /** One answer to one action request; {@code nonce} is the CSP nonce of the page that sent it. */
    @FunctionalInterface
    interface Answer {
        void write(HttpExchange ex, Request request, String nonce) throws IOException;
    }

    /** An action request as it arrived: where its signals travelled ({@code query}, {@code body}, {@code none}). */
    record Request(String method, String path, String query, String signalsIn, JsonNode signals, String contentType,
                   String datastarRequest) {
        @Override
        public String toString() {
            return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " signals in " + signalsIn + ": "
                    + signals + " (Content-Type " + contentType + ", Datastar-Request " + datastarRequest + ")";
        }
    }

    ScenarioServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::route);
        server.start();
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    /** The page body of the next scenario; clears the queue and the recorded requests. */
    void load(String pageHtml) {
        html = pageHtml;
        answers.clear();
        synchronized (requests) {
            requests.clear();
            errors.clear();
        }
    }

    /** Queues the answer to the next action request. */
    void next(Answer answer) {
        answers.add(answer);
    }

    /** The action requests since {@link #load}, in order. */
    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests the scenario did not expect (no answer queued), since {@link #load}. */
    List<String> errors() {
        synchronized (requests) {
            return List.copyOf(errors);
        }
    }

    /** An SSE stream carrying {@code events}, then the end of the response. */
    static Answer events(DatastarEvent... events) {
        return events(nonce -> List.of(events));
    }

    /** An SSE stream carrying the events made for the page's CSP nonce. */
    static Answer events(Function<String, List<DatastarEvent>> events) {
        return (ex, request, nonce) -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.getResponseHeaders().add("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            SseWriter sse = new SseWriter(ex.getResponseBody());
            for (DatastarEvent e : events.apply(nonce)) {
                sse.write(e);
            }
            sse.flush();
        };
    }

    /** A one-shot answer made for the page's CSP nonce. */
    static Answer oneShot(Function<String, DatastarResponse> response) {
        return (ex, request, nonce) -> {
            DatastarResponse r = response.apply(nonce);
            if (r.contentType() != null) {
                ex.getResponseHeaders().add("Content-Type", r.contentType());
            }
            r.headers().forEach(ex.getResponseHeaders()::add);
            ex.sendResponseHeaders(r.status(), r.status() == 204 ? -1 : 0);
            if (r.status() != 204) {
                r.writeBody(ex.getResponseBody());
            }
        };
    }

    /** A one-shot answer written by hand (for what the core API does not make). */
    static Answer raw(String contentType, Map<String, String> headers, String body) {
        return (ex, request, nonce) -> {
            ex.getResponseHeaders().add("Content-Type", contentType);
            headers.forEach(ex.getResponseHeaders()::add);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        };
    }

    /**
     * Patches the signal {@code echo} with what the request carried: method, path, where the signals were and
     * what they were (less an earlier {@code echo}).
     */
    static Answer echo() {
        return (ex, request, nonce) -> {
            ObjectNode echo = JSON.createObjectNode();
            echo.put("method", request.method());
            echo.put("path", request.path());
            echo.put("query", request.query());
            echo.put("signalsIn", request.signalsIn());
            JsonNode signals = request.signals().deepCopy();
            if (signals instanceof ObjectNode o) {
                o.remove("echo");
            }
            echo.set("signals", signals);
            echo.put("contentType", request.contentType());
            events(PatchSignals.of(Map.of("echo", echo))).write(ex, request, nonce);
        };
    }

    private void route(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (path.equals(PAGE) && ex.getRequestMethod().equals("GET") && !isDatastar(ex)) {
                page(ex);
                return;
            }
            if (path.equals("/favicon.ico")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            Request request = read(ex);
            Answer answer = answers.poll();
            synchronized (requests) {
                requests.add(request);
                if (answer == null) {
                    errors.add("no answer queued for " + request);
                }
            }
            if (answer == null) {
                ex.sendResponseHeaders(500, -1);
                return;
            }
            answer.write(ex, request, nonce);
        } catch (IOException | RuntimeException e) {
            synchronized (requests) {
                errors.add("answering " + ex.getRequestURI() + " failed: " + e);
            }
        }
    }

    private static boolean isDatastar(HttpExchange ex) {
        return "true".equals(ex.getRequestHeaders().getFirst("Datastar-Request"));
    }

    private void page(HttpExchange ex) throws IOException {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String n = Base64.getEncoder().encodeToString(bytes);
        nonce = n;
        byte[] body = html.replace("{nonce}", n).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        ex.getResponseHeaders().add("Content-Security-Policy", "default-src 'self'; "
                + "script-src 'self' https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/ 'nonce-" + n + "' "
                + "'unsafe-eval'; style-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static Request read(HttpExchange ex) throws IOException {
        String rawQuery = ex.getRequestURI().getRawQuery();
        List<String> rest = new ArrayList<>();
        String datastar = null;
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.startsWith("datastar=")) {
                    datastar = URLDecoder.decode(pair.substring("datastar=".length()), StandardCharsets.UTF_8);
                } else if (!pair.isEmpty()) {
                    rest.add(pair);
                }
            }
        }
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String signalsIn = "none";
        JsonNode signals = JSON.nullNode();
        if (datastar != null) {
            signalsIn = "query";
            signals = JSON.readTree(datastar);
        }
        if (!body.isEmpty()) {
            signalsIn = datastar == null ? "body" : "query and body";
            signals = JSON.readTree(body);
        }
        return new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), String.join("&", rest), signalsIn,
                signals, String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")),
                String.valueOf(ex.getRequestHeaders().getFirst("Datastar-Request")));
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
