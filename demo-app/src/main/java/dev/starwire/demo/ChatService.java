package dev.starwire.demo;

import dev.starwire.DatastarResponse;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.javalin.Datastar;
import dev.starwire.javalin.SseStream;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The chat's endpoints: {@code GET /join-chat} (the stream) and {@code POST /send-message}. */
final class ChatService {
    private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);
    private static final int QUEUE_LIMIT = 256;

    private final ChatRoom room;
    private final Views views;
    private final Set<BlockingQueue<PatchElements>> subscribers = ConcurrentHashMap.newKeySet();

    ChatService(ChatRoom room, Views views) {
        this.room = room;
        this.views = views;
    }

    /** Ends every open chat stream. */
    void close() {
        subscribers.clear();
    }

    /** How many streams receive live messages right now. */
    int subscribers() {
        return subscribers.size();
    }

    void join(Context ctx, Lang lang) {
        BlockingQueue<PatchElements> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
        List<ChatRoom.Message> history;
        synchronized (room) {
            history = room.history();
            subscribers.add(queue);
        }
        try {
            SseStream stream = Datastar.sse(ctx);
            stream.send(PatchSignals.of(Map.of("isConnected", true)));
            List<ChatRoom.Message> missed = missed(history, ctx.header("Last-Event-ID"));
            if (missed != null) {
                for (ChatRoom.Message m : missed) {
                    stream.send(appendEvent(m, lang));
                }
            } else {
                stream.send(PatchElements.builder().selector("#messages").mode(ElementPatchMode.INNER)
                        .elements(views.history(history, lang))
                        .eventId(Long.toString(history.get(history.size() - 1).id()))
                        .build());
            }
            while (subscribers.contains(queue)) {
                PatchElements next = queue.poll(1, TimeUnit.SECONDS);
                if (next != null) {
                    stream.send(next);
                }
            }
        } catch (UncheckedIOException gone) {
            LOG.debug("chat client left");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            subscribers.remove(queue);
        }
    }

    void send(Context ctx, Lang lang) {
        ChatInput input = Datastar.signals(ctx, ChatInput.class).cleaned();
        String problem = input.problem(lang);
        if (problem != null) {
            // 200: the Datastar client ignores the body of an error status, the user would see nothing.
            Datastar.respond(ctx, DatastarResponse.html(PatchElements.of(views.chatError(problem))));
            return;
        }
        synchronized (room) {
            ChatRoom.Message m = room.add(input.username(), input.messageText());
            PatchElements event = appendEvent(m, lang);
            for (BlockingQueue<PatchElements> q : subscribers) {
                if (!q.offer(event)) {
                    subscribers.remove(q); // too slow to keep up: it is dropped and may reconnect
                }
            }
        }
        SseStream stream = Datastar.sse(ctx);
        stream.send(PatchSignals.of(Map.of("messageText", "")));
        stream.send(PatchElements.of(views.chatError("")));
    }

    /** The messages after {@code lastEventId}, or null when it is absent or older than the kept history. */
    private static List<ChatRoom.Message> missed(List<ChatRoom.Message> history, String lastEventId) {
        if (lastEventId == null) {
            return null;
        }
        long last;
        try {
            last = Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            return null;
        }
        if (last < history.get(0).id() || last > history.get(history.size() - 1).id()) {
            return null;
        }
        return history.stream().filter(m -> m.id() > last).toList();
    }

    private PatchElements appendEvent(ChatRoom.Message m, Lang lang) {
        return PatchElements.builder().selector("#messages").mode(ElementPatchMode.APPEND)
                .elements(PatchElements.of(views.message(m, lang)).elementsHtml())
                .eventId(Long.toString(m.id()))
                .build();
    }
}
