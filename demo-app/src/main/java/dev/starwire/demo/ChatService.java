package dev.starwire.demo;

import dev.starwire.DatastarResponse;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.hub.Topic;
import dev.starwire.javalin.LiveStream;
import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat behind {@code GET /join-chat} (a stream following the hub's {@code chat} topic) and
 * {@code POST /send-message}.
 */
final class ChatService {
    private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);
    private static final long PUBLISH_TIMEOUT_SECONDS = 10;

    private final ChatHistory history;
    private final Topic topic;
    private final Views views;

    ChatService(ChatHistory history, Topic topic, Views views) {
        this.history = history;
        this.topic = topic;
        this.views = views;
    }

    /** Sets up one {@code /join-chat} stream: connected, then what the client misses, then live messages. */
    void join(LiveStream stream) {
        Lang lang = DemoApp.lang(stream.ctx());
        stream.send(PatchSignals.of(Map.of("isConnected", true)));
        // A reconnect with a Last-Event-ID inside the hub's replay window gets exactly the missed messages;
        // everybody else gets the whole kept history as the children of #messages.
        stream.subscribe(topic, () -> stream.send(PatchElements.builder()
                .selector("#messages").mode(ElementPatchMode.INNER)
                .elements(views.history(history.recent(), lang))
                .build()));
    }

    /** Answers {@code POST /send-message} (a {@code Starwire.post} handler). */
    DatastarResponse send(Context ctx, ChatInput typed) {
        Lang lang = DemoApp.lang(ctx);
        ChatInput input = typed.cleaned();
        String problem = input.problem(lang);
        if (problem != null) {
            // 200, not 4xx: the Datastar client ignores the body of an error status, the user would see nothing.
            return DatastarResponse.of(PatchElements.of(views.chatError(problem)));
        }
        CompletableFuture<String> published;
        try {
            synchronized (history) {
                // Stored before it is published, so a client joining meanwhile finds it in the history; one
                // lock keeps this instance's history and topic in the same order.
                ChatMessage m = history.add(input.username(), input.messageText());
                published = topic.publish(PatchElements.builder().selector("#messages")
                        .mode(ElementPatchMode.APPEND).elements(views.message(m, lang)).build());
            }
            // Answer only once the message is stored (at once in memory, a round trip with Redis), so the
            // sender learns when it was not: the typed text stays in the input to try again.
            published.get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notSent(lang, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return notSent(lang, e);
        }
        // Two patches for the sender (one short stream): empty the input, clear an earlier validation message.
        return DatastarResponse.of(PatchSignals.of(Map.of("messageText", "")), PatchElements.of(views.chatError("")));
    }

    private DatastarResponse notSent(Lang lang, Exception e) {
        LOG.warn("chat message was not sent: {}", e.toString());
        return DatastarResponse.of(PatchElements.of(views.chatError(lang.text("chat.error.notSent"))));
    }
}
