package dev.starwire.hub;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A topic's newest live frames (with their {@code id:} lines), numbered by a sequence: the fan-out appends each
 * frame once, and outboxes hold runs of sequence numbers instead of a reference per frame and subscriber. That
 * keeps the fan-out's work per subscriber to primitive stores: no reference stored into thousands of old queues,
 * so no card for the garbage collector to refine per event and subscriber.
 *
 * <p>The ring keeps at least what a subscriber within its {@link QueueLimits} can have waiting: the newest
 * frames up to a count (a power of two above {@code maxEvents}) and at least {@code maxBytes} of them. A
 * subscriber whose oldest waiting frame is no longer kept lags beyond its limits and is evicted like any slow
 * one. The arrays start small and grow with what the topic publishes. Now and then the fan-out also lets go of
 * the frames older than what the most lagging outbox holds ({@link #trimBefore}), so a topic whose subscribers
 * keep up holds few frames, however big.
 *
 * <p>One thread appends at a time (the backend's listener contract); any thread reads. A reader only asks for
 * sequence numbers appended before (the outbox's lock orders the two), and sees either the frame or
 * {@code null} once it was dropped: the appender moves {@link #tail} past a frame before it overwrites or clears
 * the slot (release), and a reader checks {@link #tail} after reading the slot (acquire).
 */
final class FrameRing {
    private static final VarHandle FRAMES = MethodHandles.arrayElementVarHandle(byte[][].class);
    private static final VarHandle IDS = MethodHandles.arrayElementVarHandle(String[].class);
    private static final int INITIAL_SLOTS = 16;
    private static final int MAX_SLOTS = 1 << 30;
    /** Above this many bytes kept, the fan-out now and then lets go of frames no outbox holds any more. */
    private static final long TRIM_BYTES = 64 * 1024;

    private final int maxSlots;
    private final long keepBytes;
    private final int trimEvery;
    private final long trimAbove;
    private volatile Slots slots = new Slots(INITIAL_SLOTS);
    private volatile long tail;   // the oldest sequence number kept
    private long head;            // the next sequence number; the appending thread's
    private long bytes;           // bytes of the frames kept; the appending thread's

    FrameRing(QueueLimits limits) {
        long wanted = Math.max(INITIAL_SLOTS, (long) limits.maxEvents() + 1);
        this.maxSlots = (int) Math.min(MAX_SLOTS, Long.highestOneBit(wanted - 1) << 1);
        this.keepBytes = limits.maxBytes();
        this.trimEvery = Math.min(64, maxSlots / 2);
        this.trimAbove = Math.min(TRIM_BYTES, keepBytes / 2);
    }

    /** Keeps {@code frame} (with id {@code id}) as the newest; returns its sequence number. */
    long append(byte[] frame, String id) {
        long seq = head;
        long oldest = tail;
        Slots s = slots;
        if (seq - oldest == s.frames.length) { // full by count
            if (s.frames.length < maxSlots) {
                s = grow(s, oldest, seq);
            } else {
                bytes -= s.frame(oldest).length;
                oldest++;
            }
        }
        bytes += frame.length;
        long first = oldest;
        while (first < seq && bytes - s.frame(first).length >= keepBytes) {
            bytes -= s.frame(first).length; // what stays still holds keepBytes: the oldest can go
            first++;
        }
        if (first != oldest || oldest != tail) {
            tail = first; // before any slot is overwritten or cleared
            for (long dropped = oldest; dropped < first; dropped++) {
                s.clear(dropped);
            }
        }
        s.set(seq, frame, id);
        head = seq + 1;
        return seq;
    }

    /** The next sequence number; for the appending thread. */
    long head() {
        return head;
    }

    /**
     * Whether the appending thread should find out which frames are still held ({@link #trimBefore}): now and
     * then, once the ring keeps more than a few pages' worth, so that a topic whose subscribers keep up holds
     * little more than what they have not written yet.
     */
    boolean wantsTrim() {
        return head % trimEvery == 0 && bytes > trimAbove;
    }

    /** Lets go of the frames before {@code seq}, which no outbox holds; the newest always stays. */
    void trimBefore(long seq) {
        long oldest = tail;
        long first = Math.min(seq, head - 1);
        if (first <= oldest) {
            return;
        }
        Slots s = slots;
        for (long dropped = oldest; dropped < first; dropped++) {
            bytes -= s.frame(dropped).length;
        }
        tail = first; // before any slot is cleared
        for (long dropped = oldest; dropped < first; dropped++) {
            s.clear(dropped);
        }
    }

    /** The frame numbered {@code seq}, or {@code null} when it is no longer kept. */
    byte[] frame(long seq) {
        Slots s = slots;
        byte[] frame = (byte[]) FRAMES.getAcquire(s.frames, s.index(seq));
        return frame != null && seq >= tail ? frame : null;
    }

    /** The backend's id of the frame numbered {@code seq}, or {@code null} when it is no longer kept. */
    String id(long seq) {
        Slots s = slots;
        String id = (String) IDS.getAcquire(s.ids, s.index(seq));
        return id != null && seq >= tail ? id : null;
    }

    /** How many slots the ring may grow to. */
    int maxSlots() {
        return maxSlots;
    }

    private Slots grow(Slots old, long oldest, long next) {
        Slots bigger = new Slots(old.frames.length * 2);
        for (long seq = oldest; seq < next; seq++) {
            bigger.set(seq, old.frame(seq), old.id(seq));
        }
        slots = bigger; // readers holding the old arrays still find their frames there: nothing changes them now
        return bigger;
    }

    /** The arrays, replaced together when the ring grows. */
    private static final class Slots {
        final byte[][] frames;
        final String[] ids;
        final int mask;

        Slots(int size) {
            this.frames = new byte[size][];
            this.ids = new String[size];
            this.mask = size - 1;
        }

        int index(long seq) {
            return (int) seq & mask;
        }

        byte[] frame(long seq) {
            return frames[index(seq)];
        }

        String id(long seq) {
            return ids[index(seq)];
        }

        void set(long seq, byte[] frame, String id) {
            int i = index(seq);
            IDS.setRelease(ids, i, id);
            FRAMES.setRelease(frames, i, frame);
        }

        void clear(long seq) {
            int i = index(seq);
            FRAMES.setRelease(frames, i, null);
            IDS.setRelease(ids, i, null);
        }
    }
}
