package dev.starwire.session.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One change of a shared signal store, as it travels between instances: the version it creates, the merge
 * patch it applies to the signals, and what it sends to the browsers (nothing for the signals a request
 * carried, which its browser already has).
 *
 * <pre>{@code
 * // the clock's tick: version 7 sets two signals and sends exactly them
 * new SignalChange(7, patch, patch, false);
 * // a request's signals merged into the mirror: stored, sent to nobody
 * new SignalChange(8, typed, null, false);
 * }</pre>
 *
 * <p>Values are never copied: treat the trees as read-only.
 *
 * @param version       the version this change creates: one more than the version it was based on
 * @param change        the RFC 7386 merge patch applied to the signals; may be empty
 * @param send          what the browsers are sent, or {@code null} for nothing
 * @param onlyIfMissing whether {@code send} goes out with {@code onlyIfMissing true}
 */
public record SignalChange(long version, ObjectNode change, ObjectNode send, boolean onlyIfMissing) {
    /** Checks the arguments. */
    public SignalChange {
        if (version < 1) {
            throw new IllegalArgumentException("a change creates a version of at least 1, got " + version);
        }
        Objects.requireNonNull(change, "change");
    }
}
