package dev.starwire.demo;

import java.time.Clock;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The chat's memory: the last {@link #HISTORY_LIMIT} messages, oldest first, seeded with a welcome message.
 * Thread-safe.
 */
final class ChatRoom {
    static final int HISTORY_LIMIT = 100;

    /** One posted message; {@code welcome} marks the seeded greeting, rendered in each reader's language. */
    record Message(long id, String author, String text, LocalTime time, boolean welcome) {
        Message {
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(time, "time");
        }
    }

    private final Clock clock;
    private final ArrayDeque<Message> history = new ArrayDeque<>();
    private long lastId;

    ChatRoom(Clock clock) {
        this.clock = clock;
        append("", "", true);
    }

    /** Stores a valid message and returns it with its id and time. */
    synchronized Message add(String author, String text) {
        return append(author, text, false);
    }

    private Message append(String author, String text, boolean welcome) {
        Message m = new Message(++lastId, author, text, LocalTime.now(clock), welcome);
        history.addLast(m);
        while (history.size() > HISTORY_LIMIT) {
            history.removeFirst();
        }
        return m;
    }

    /** The kept messages, oldest first. */
    synchronized List<Message> history() {
        return new ArrayList<>(history);
    }
}
