package dev.starwire.demo;

import java.time.Instant;
import java.util.Objects;

/**
 * One chat message as the history keeps it.
 *
 * @param id      unique and increasing within one history
 * @param author  the trimmed name
 * @param text    the trimmed text, line breaks as {@code \n}
 * @param at      when the server accepted it
 * @param welcome marks the seeded greeting, rendered in each reader's language
 */
record ChatMessage(long id, String author, String text, Instant at, boolean welcome) {
    ChatMessage {
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }
}
