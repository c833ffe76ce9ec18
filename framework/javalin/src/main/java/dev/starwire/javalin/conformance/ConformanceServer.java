package dev.starwire.javalin.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starwire.DatastarEvent;
import dev.starwire.ElementPatchMode;
import dev.starwire.ExecuteScript;
import dev.starwire.Namespace;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.javalin.Datastar;
import dev.starwire.javalin.SseStream;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code /test} endpoint of the official Datastar SDK test cases: it reads the request's signals with
 * the normal code and sends every event listed in {@code events} with the normal API.
 *
 * <pre>{@code
 * Javalin.create(config -> ConformanceServer.routes(config)).start("127.0.0.1", 7331);
 * }</pre>
 */
public final class ConformanceServer {
    private ConformanceServer() {
    }

    /** Adds {@code GET /test} and {@code POST /test} to {@code config}. */
    public static void routes(JavalinConfig config) {
        Datastar.handleErrors(config);
        config.routes.get("/test", ConformanceServer::handle);
        config.routes.post("/test", ConformanceServer::handle);
    }

    /** Runs the endpoint on 127.0.0.1 and the port given as the first argument (default 7331). */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7331;
        Javalin.create(ConformanceServer::routes).start("127.0.0.1", port);
    }

    static void handle(Context ctx) {
        JsonNode events = Datastar.signals(ctx).path("events");
        SseStream stream = Datastar.sse(ctx);
        for (JsonNode e : events) {
            stream.send(toEvent(e));
        }
    }

    static DatastarEvent toEvent(JsonNode e) {
        String type = e.path("type").asText();
        switch (type) {
            case "patchElements": {
                PatchElements.Builder b = PatchElements.builder();
                if (e.has("elements")) {
                    b.elements(e.get("elements").asText());
                }
                if (e.has("selector")) {
                    b.selector(e.get("selector").asText());
                }
                if (e.has("mode")) {
                    b.mode(ElementPatchMode.fromWire(e.get("mode").asText()));
                }
                if (e.has("useViewTransition")) {
                    b.useViewTransition(e.get("useViewTransition").asBoolean());
                }
                if (e.has("namespace")) {
                    b.namespace(Namespace.fromWire(e.get("namespace").asText()));
                }
                common(e, b::eventId, b::retryMillis);
                return b.build();
            }
            case "patchSignals": {
                PatchSignals.Builder b = PatchSignals.builder();
                if (e.has("signals-raw")) {
                    b.json(e.get("signals-raw").asText());
                } else {
                    b.signals(e.get("signals"));
                }
                if (e.has("onlyIfMissing")) {
                    b.onlyIfMissing(e.get("onlyIfMissing").asBoolean());
                }
                common(e, b::eventId, b::retryMillis);
                return b.build();
            }
            case "executeScript": {
                ExecuteScript.Builder b = ExecuteScript.builder().script(e.path("script").asText());
                Iterator<Map.Entry<String, JsonNode>> attributes = e.path("attributes").fields();
                while (attributes.hasNext()) {
                    Map.Entry<String, JsonNode> a = attributes.next();
                    b.attribute(a.getKey(), a.getValue().asText());
                }
                if (e.has("autoRemove")) {
                    b.autoRemove(e.get("autoRemove").asBoolean());
                }
                common(e, b::eventId, b::retryMillis);
                return b.build();
            }
            default:
                throw new IllegalArgumentException("unknown event type '" + type + "'");
        }
    }

    private static void common(JsonNode e, java.util.function.Consumer<String> id,
                               java.util.function.LongConsumer retry) {
        if (e.has("eventId")) {
            id.accept(e.get("eventId").asText());
        }
        if (e.has("retryDuration")) {
            retry.accept(e.get("retryDuration").asLong());
        }
    }
}
