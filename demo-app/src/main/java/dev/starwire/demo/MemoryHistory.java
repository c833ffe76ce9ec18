package dev.starwire.demo;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The chat history of one process: a bounded deque. Thread-safe. */
final class MemoryHistory implements ChatHistory {
    private final Clock clock;
    private final ArrayDeque<ChatMessage> messages = new ArrayDeque<>();
    private long lastId;

    MemoryHistory(Clock clock) {
        this.clock = clock;
        append("", "", true);
    }

    @Override
    public synchronized ChatMessage add(String author, String text) {
        return append(author, text, false);
    }

    private ChatMessage append(String author, String text, boolean welcome) {
        ChatMessage m = new ChatMessage(++lastId, author, text, clock.instant(), welcome);
        messages.addLast(m);
        while (messages.size() > LIMIT) {
            messages.removeFirst();
        }
        return m;
    }

    @Override
    public synchronized List<ChatMessage> recent() {
        return new ArrayList<>(messages);
    }
}
