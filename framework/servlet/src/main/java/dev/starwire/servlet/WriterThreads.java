package dev.starwire.servlet;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few writer threads (about one per core), each owning the streams assigned to it and a set of those ready to
 * write. Waking a stream pushes it onto its thread's ready set and unparks the thread only when the set was empty
 * and the thread asleep, so a publish to thousands of streams wakes each thread at most once and queues no task
 * per stream; while a thread is busy writing, wakes cost one compare-and-set.
 *
 * <p>Thread-safe.
 */
final class WriterThreads {
    private static final Logger LOG = LoggerFactory.getLogger(WriterThreads.class);

    private final Worker[] workers;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean stopped;

    WriterThreads(int threads, String name) {
        workers = new Worker[Math.max(1, threads)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            Thread t = new Thread(workers[i]::run, name + "-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    /** The thread a new stream's writer is bound to: round robin. */
    Worker assign() {
        return workers[Math.floorMod(next.getAndIncrement(), workers.length)];
    }

    boolean stopped() {
        return stopped;
    }

    /** Stops the threads; streams still ready are not drained any more. */
    void stop() {
        stopped = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    /** One writer thread and its ready set: an intrusive stack of writers, taken whole by the thread. */
    final class Worker {
        private final AtomicReference<StreamWriter> ready = new AtomicReference<>();
        private Thread thread;
        /** The thread found its set empty and parks: only then does an adder unpark it. */
        private volatile boolean sleeping;

        /**
         * Adds {@code writer} (not in any ready set now: its {@code drainScheduled} flag was just set) to the set.
         *
         * @return {@code false} when the threads are stopped
         */
        boolean ready(StreamWriter writer) {
            if (stopped) {
                return false;
            }
            StreamWriter head;
            do {
                head = ready.get();
                writer.nextReady = head;
            } while (!ready.compareAndSet(head, writer));
            if (head == null && sleeping) {
                LockSupport.unpark(thread); // the set was empty and the thread is parked or about to park
            }
            return true;
        }

        private void run() {
            while (!stopped) {
                StreamWriter w = ready.getAndSet(null);
                if (w == null) {
                    // Announce the sleep, then look again: a writer added meanwhile is either seen here or its
                    // adder sees the flag and unparks (both are volatile), so no wake-up is lost.
                    sleeping = true;
                    if (ready.get() == null && !stopped) {
                        LockSupport.park(this);
                    }
                    sleeping = false;
                    continue;
                }
                while (w != null) {
                    StreamWriter following = w.nextReady;
                    w.nextReady = null;
                    try {
                        w.runScheduledDrain();
                    } catch (RuntimeException | Error e) {
                        LOG.error("a stream writer failed", e); // the thread goes on with the other streams
                    }
                    w = following;
                }
            }
        }
    }
}
