package dev.starwire.session.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What a replica of a shared signal store needs to catch up with the stored copy (see
 * {@link SharedSignals#catchUp}): nothing, the changes it missed in order, the whole current state, or the
 * news that the session no longer exists.
 *
 * <pre>{@code
 * CatchUp c = shared.catchUp(12);
 * if (c.gone()) end();
 * else if (c.signals() != null) adopt(c.version(), c.signals());   // too far behind: the whole state
 * else c.changes().forEach(this::apply);                           // versions 13, 14, ... in order
 * }</pre>
 *
 * @param gone    the session expired or was ended
 * @param version the stored version now
 * @param changes the changes after the asked version, in order (empty when up to date or when {@code signals}
 *                is given)
 * @param signals the whole state at {@code version} when the missed changes are no longer kept, else
 *                {@code null}
 * @param reset   the stored copy is older than the replica (the storage lost writes): adopt it even so
 */
public record CatchUp(boolean gone, long version, List<SignalChange> changes, ObjectNode signals, boolean reset) {
    /** Checks the arguments and freezes the list. */
    public CatchUp {
        changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
    }

    /** The session expired or was ended. */
    public static CatchUp ended() {
        return new CatchUp(true, -1, List.of(), null, false);
    }

    /** The changes after the asked version, in order (an empty list: up to date). */
    public static CatchUp changes(long version, List<SignalChange> changes) {
        return new CatchUp(false, version, changes, null, false);
    }

    /** The whole state at {@code version}. */
    public static CatchUp state(long version, ObjectNode signals, boolean reset) {
        return new CatchUp(false, version, List.of(), Objects.requireNonNull(signals, "signals"), reset);
    }
}
