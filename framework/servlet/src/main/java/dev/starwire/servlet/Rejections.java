package dev.starwire.servlet;

import dev.starwire.SignalsException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one app refused, counted as it is answered: signals that could not be read, by reason, and requests the
 * CSRF check refused. Lock-free ({@link LongAdder}s, filled once), so counting costs a refused request nothing
 * measurable.
 */
final class Rejections {
    private final Map<SignalsException.Reason, LongAdder> signals = new EnumMap<>(SignalsException.Reason.class);
    private final LongAdder refused = new LongAdder();

    Rejections() {
        for (SignalsException.Reason r : SignalsException.Reason.values()) {
            signals.put(r, new LongAdder());
        }
    }

    /** Counts {@code error} if it is a rejection: unreadable signals, or a request refused with 403. */
    void count(Throwable error) {
        if (error instanceof SignalsException) {
            signals.get(((SignalsException) error).reason()).increment();
        } else if (error instanceof RequestRefusedException && ((RequestRefusedException) error).status() == 403) {
            refused.increment();
        }
    }

    long signals(SignalsException.Reason reason) {
        return signals.get(reason).sum();
    }

    long refused() {
        return refused.sum();
    }
}
