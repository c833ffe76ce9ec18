package dev.starwire.samples.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code /join-chat} stream read from real SSE bytes, without a thread of its own (the JDK client's line
 * subscriber): the text of every chat message it received, in order, and the last event id. Many of these share
 * one {@link HttpClient}, so hundreds of streams cost a test little.
 */
final class SseMessages implements Flow.Subscriber<String> {
    private static final Pattern TEXT = Pattern.compile("^data: elements\\s*<div class=\"message-text\">(.*)</div>$");

    private final List<String> texts = new ArrayList<>(); // guarded by this
    private String lastId;                                 // guarded by this
    private String pendingId;                              // the current event's id; read on its thread only
    private Flow.Subscription subscription;
    private volatile boolean ended;
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final CompletableFuture<HttpResponse<Void>> response;

    private SseMessages(HttpClient client, URI uri, String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Datastar-Request", "true")
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5));
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        // the status as soon as the headers arrive: the response itself completes only when the stream ends
        this.response = client.sendAsync(b.build(), info -> {
            status.complete(info.statusCode());
            return HttpResponse.BodySubscribers.fromLineSubscriber(this);
        });
        this.response.whenComplete((r, e) -> {
            if (e != null) {
                status.completeExceptionally(e);
            }
        });
    }

    /** Opens {@code /join-chat} on {@code base}, resuming after {@code lastEventId} when it is not null. */
    static SseMessages open(HttpClient client, String base, String lastEventId) {
        return new SseMessages(client, URI.create(base + "/join-chat"), lastEventId);
    }

    /** Waits for the response's status line and headers. */
    int status() throws Exception {
        return status.get(60, TimeUnit.SECONDS);
    }

    synchronized List<String> texts() {
        return new ArrayList<>(texts);
    }

    synchronized int count() {
        return texts.size();
    }

    synchronized String lastId() {
        return lastId;
    }

    boolean ended() {
        return ended;
    }

    void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (line.startsWith("id: ")) {
            pendingId = line.substring(4);
            return;
        }
        Matcher m = TEXT.matcher(line);
        synchronized (this) {
            if (m.matches()) {
                texts.add(m.group(1));
            } else if (line.isEmpty() && pendingId != null) {
                lastId = pendingId;
                pendingId = null;
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        ended = true;
    }

    @Override
    public void onComplete() {
        ended = true;
    }
}
