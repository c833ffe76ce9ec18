package dev.starwire.hub;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A topic's subscriptions in slots of an array: a join takes a free slot, a leave clears its own, both in
 * constant time (amortised: the array doubles when full and is compacted when three quarters are free), and
 * the fan-out walks the array without a lock or a copy. A join is visible to every fan-out that starts after
 * it; a fan-out running meanwhile may miss it, which the subscription's catch-up covers (it reads the backend
 * after joining).
 */
final class Subscribers {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Subscription[].class);
    private static final int INITIAL = 8;

    private volatile Subscription[] slots = new Subscription[INITIAL];
    // guarded by this
    private int[] free = new int[INITIAL];
    private int freeCount;
    private int used;      // slots ever taken in the current array: [0, used)
    private int size;

    /** The array to walk: read each slot with {@link #at}; {@code null} slots are free. */
    Subscription[] array() {
        return slots;
    }

    /** The subscription in slot {@code i} of {@code array}, or {@code null}. */
    static Subscription at(Subscription[] array, int i) {
        return (Subscription) SLOTS.getAcquire(array, i);
    }

    synchronized void add(Subscription s) {
        Subscription[] a = slots;
        int i;
        if (freeCount > 0) {
            i = free[--freeCount];
        } else {
            if (used == a.length) {
                a = rebuild(a.length * 2);
            }
            i = used++;
        }
        s.slot = i;
        SLOTS.setVolatile(a, i, s);
        size++;
    }

    /** Removes {@code s}; {@code false} when it was not here. */
    synchronized boolean remove(Subscription s) {
        int i = s.slot;
        Subscription[] a = slots;
        if (i < 0 || i >= a.length || a[i] != s) {
            return false;
        }
        SLOTS.setVolatile(a, i, null);
        s.slot = -1;
        size--;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = i;
        if (a.length > INITIAL && size < a.length / 4) {
            rebuild(a.length / 2);
        }
        return true;
    }

    synchronized int size() {
        return size;
    }

    /** A copy of the subscriptions now. */
    synchronized List<Subscription> toList() {
        List<Subscription> out = new ArrayList<>(size);
        for (int i = 0; i < used; i++) {
            Subscription s = slots[i];
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** A new array of {@code length} holding the subscriptions packed from slot 0; the free list empties. */
    private Subscription[] rebuild(int length) {
        Subscription[] old = slots;
        Subscription[] packed = new Subscription[length];
        int n = 0;
        for (int i = 0; i < used; i++) {
            Subscription s = old[i];
            if (s != null) {
                s.slot = n;
                packed[n++] = s;
            }
        }
        used = n;
        freeCount = 0;
        if (free.length < length) {
            free = new int[length];
        }
        slots = packed; // a fan-out walking the old array meanwhile still reaches everyone it held
        return packed;
    }
}
