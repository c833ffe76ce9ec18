package dev.starwire.servlet;

/**
 * Sets up one long-lived stream: subscribe it to a topic, send initial state, register callbacks, then
 * return. The stream stays open after the handler returns; it must not block.
 *
 * <pre>{@code
 * StreamHandler clock = stream -> stream.every(Duration.ofSeconds(1), () -> stream.send(clockPatch()));
 * }</pre>
 */
@FunctionalInterface
public interface StreamHandler {
    /** Prepares {@code stream}; an exception here answers the request with an error instead of a stream. */
    void handle(LiveStream stream) throws Exception;
}
