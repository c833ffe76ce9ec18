package dev.starwire.demo;

import java.util.List;

/**
 * The messages a newly joining browser gets: the last {@link #LIMIT}, oldest first, seeded with a welcome
 * message. In memory by default; in Redis ({@link RedisHistory}) when the chat is shared by several instances.
 */
interface ChatHistory extends AutoCloseable {
    /** How many messages are kept. */
    int LIMIT = 100;

    /** Stores a valid message and returns it with its id and time. */
    ChatMessage add(String author, String text);

    /** The kept messages, oldest first. */
    List<ChatMessage> recent();

    @Override
    default void close() {
    }
}
