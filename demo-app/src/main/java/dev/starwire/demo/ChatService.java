package dev.starwire.demo;

import dev.starwire.DatastarResponse;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.hub.Topic;
import dev.starwire.hub.TopicUnavailableException;
import dev.starwire.javalin.LiveStream;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat behind {@code GET /join-chat} (a stream following the hub's {@code chat} topic) and
 * {@code POST /send-message}.
 *
 * <p>The topic is the chat's only store: a message is one published event, so it is stored and delivered,
 * or neither. The history a joining browser gets is the topic's last {@value #HISTORY} events (in memory, or
 * in the Redis stream shared by every instance), so nobody ever sees a message that was reported "not sent",
 * and no lock is held while Redis is asked.
 */
final class ChatService {
    /** How many of the newest messages a joining browser gets. */
    static final int HISTORY = 100;

    private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);
    /** Longest wait for the store's answer; the backend answers sooner (at once while it is down). */
    private static final long PUBLISH_TIMEOUT_SECONDS = 10;

    private final Topic topic;
    private final Views views;
    private final Clock clock;
    private final ChatMessage welcome;

    ChatService(Topic topic, Views views, Clock clock) {
        this.topic = topic;
        this.views = views;
        this.clock = clock;
        this.welcome = new ChatMessage(0, "", "", clock.instant(), true);
    }

    /** Sets up one {@code /join-chat} stream: connected, then what the client misses, then live messages. */
    void join(LiveStream stream) {
        Lang lang = DemoApp.lang(stream.ctx());
        if (!topic.health().isUp()) {
            unavailable(stream, lang, topic.health().reason()); // at once: no request to a store that is down
            return;
        }
        stream.send(PatchSignals.of(Map.of("isConnected", true)));
        try {
            // A reconnect with a Last-Event-ID inside the replay window gets exactly the missed messages;
            // everybody else gets the welcome message, then the topic's last messages, then live ones.
            stream.subscribe(topic, HISTORY, () -> stream.send(PatchElements.builder()
                    .selector("#messages").mode(ElementPatchMode.INNER)
                    .elements(views.history(List.of(welcome), lang))
                    .build()));
        } catch (TopicUnavailableException e) {
            unavailable(stream, lang, e.getMessage());
        }
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
        ChatMessage m = new ChatMessage(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), input.username(),
                input.messageText(), clock.instant(), false);
        try {
            // One publish stores and delivers the message. Answer only once the store confirmed it (at once in
            // memory, a round trip with Redis, at once while Redis is down), so the sender learns when it was
            // not sent: the typed text stays in the input to try again.
            topic.publish(PatchElements.builder().selector("#messages").mode(ElementPatchMode.APPEND)
                    .elements(views.message(m, lang)).build()).get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notSent(lang, e);
        } catch (ExecutionException e) {
            return notSent(lang, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            return notSent(lang, e);
        }
        // Two patches for the sender (one short stream): empty the input, clear an earlier validation message.
        return DatastarResponse.of(PatchSignals.of(Map.of("messageText", "")), PatchElements.of(views.chatError("")));
    }

    private DatastarResponse notSent(Lang lang, Throwable e) {
        LOG.debug("chat message was not sent: {}", e.toString()); // the backend logs the outage once
        return DatastarResponse.of(PatchElements.of(views.chatError(lang.text("chat.error.notSent"))));
    }

    /** The page's error state: not connected (the Join button shows again) and why. */
    private void unavailable(LiveStream stream, Lang lang, String reason) {
        LOG.debug("chat join refused: {}", reason);
        stream.send(PatchSignals.of(Map.of("isConnected", false)));
        stream.send(PatchElements.of(views.chatError(lang.text("chat.error.unavailable"))));
        stream.close();
    }
}
