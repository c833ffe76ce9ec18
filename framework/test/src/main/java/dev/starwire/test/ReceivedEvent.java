package dev.starwire.test;

import java.util.Optional;

/**
 * One Datastar event as the browser client receives it, parsed from SSE bytes by {@link SseParser}:
 * either an {@link ReceivedPatchElements} or a {@link ReceivedPatchSignals}. A script is an {@link ReceivedPatchElements} that
 * appends a {@code <script>} to {@code body}, exactly as on the wire.
 *
 * <pre>{@code
 * for (ReceivedEvent e : SseParser.parse(bytes)) {
 *     if (e instanceof ReceivedPatchSignals s) System.out.println(s.signals());
 * }
 * }</pre>
 */
public sealed interface ReceivedEvent permits ReceivedPatchElements, ReceivedPatchSignals {

    /** The {@code id:} field of this event, if it had one. */
    Optional<String> eventId();

    /** The {@code retry:} field of this event, or the client's default of 1000 ms. */
    long retryMillis();
}
