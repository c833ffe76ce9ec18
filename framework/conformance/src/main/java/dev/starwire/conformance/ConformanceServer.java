package dev.starwire.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starwire.DatastarEvent;
import dev.starwire.ElementPatchMode;
import dev.starwire.ExecuteScript;
import dev.starwire.Namespace;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.javalin.LiveStream;
import dev.starwire.javalin.Starwire;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import java.util.Map;

/**
 * The {@code /test} endpoint of the official Datastar SDK test cases, run by {@code scripts/conformance-server}
 * for {@code check.py} (CI runs it); not part of any published jar: it reads the request's signals with
 * the one signals reader ({@code GET} and {@code DELETE} from the query, {@code POST} from the body) and
 * sends every event listed in {@code events} on a {@link LiveStream}, then ends it.
 *
 * <pre>{@code
 * Starwire starwire = Starwire.create();
 * Javalin.create(config -> ConformanceServer.routes(config, starwire)).start("127.0.0.1", 7331);
 * }</pre>
 */
public final class ConformanceServer {
    private ConformanceServer() {
    }

    /** Registers {@code starwire} and adds {@code GET}, {@code POST} and {@code DELETE /test} to {@code config}. */
    public static void routes(JavalinConfig config, Starwire starwire) {
        config.registerPlugin(starwire);
        Handler test = starwire.stream(ConformanceServer::handle);
        config.routes.get("/test", test);
        config.routes.post("/test", test);
        config.routes.delete("/test", test);
    }

    /** Runs the endpoint on 127.0.0.1 and the port given as the first argument (default 7331). */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7331;
        Starwire starwire = Starwire.create();
        Javalin.create(config -> routes(config, starwire)).start("127.0.0.1", port);
    }

    static void handle(LiveStream stream) {
        for (JsonNode e : stream.signals().tree().path("events")) {
            stream.send(toEvent(e));
        }
        stream.close();
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
                if (e.has("viewTransitionSelector")) {
                    b.viewTransitionSelector(e.get("viewTransitionSelector").asText());
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
                for (Map.Entry<String, JsonNode> a : e.path("attributes").properties()) {
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
