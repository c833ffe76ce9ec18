package dev.starwire.demo;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the JVM every few seconds to give the memory its native allocations freed back to the operating system
 * (the JVM's diagnostic command {@code System.trim_native_heap}, which calls glibc's {@code malloc_trim}).
 *
 * <p>Why: the JIT compilers allocate tens of MB in native arenas while they compile the request path, and free
 * them again; glibc keeps what was freed in the process, so the resident memory stays that much higher for
 * good. The JVM option {@code -XX:TrimNativeHeapInterval=5000} does the same (JDK 21 and later, and recent 17
 * updates such as 17.0.15); the demo runs as a plain {@code java -jar}, without options, so it asks for it itself.
 * Where the command is missing (another C library, another JVM) this does nothing.
 *
 * <pre>{@code
 * NativeHeapTrim trim = NativeHeapTrim.start(Duration.ofSeconds(5));
 * trim.close();   // at shutdown
 * }</pre>
 */
final class NativeHeapTrim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NativeHeapTrim.class);
    private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";
    static final String TRIM_OPERATION = "systemTrimNativeHeap";

    private final ScheduledExecutorService timer;
    private final AtomicLong trims = new AtomicLong();

    private NativeHeapTrim(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Trims every {@code interval} from now on, on a daemon thread of its own; an interval of zero, or a JVM
     * without the command, gives a trim that never runs.
     */
    static NativeHeapTrim start(Duration interval) {
        return start(interval, TRIM_OPERATION);
    }

    /** As {@link #start(Duration)}, with the diagnostic command's operation named (tests use a missing one). */
    static NativeHeapTrim start(Duration interval, String operation) {
        if (interval.isZero() || interval.isNegative()) {
            return new NativeHeapTrim(null);
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName commands;
        try {
            commands = new ObjectName(DIAGNOSTIC_COMMANDS);
            boolean present = server.isRegistered(commands) && Arrays.stream(server.getMBeanInfo(commands)
                    .getOperations()).anyMatch(op -> op.getName().equals(operation));
            if (!present) {
                LOG.info("This JVM cannot trim its native heap; resident memory freed by the JIT stays in the process");
                return new NativeHeapTrim(null);
            }
        } catch (JMException e) {
            LOG.info("This JVM's diagnostic commands are not reachable ({}); the native heap is not trimmed", e.toString());
            return new NativeHeapTrim(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "demo-native-heap-trim");
            thread.setDaemon(true);
            return thread;
        });
        NativeHeapTrim trim = new NativeHeapTrim(timer);
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(() -> trim.trim(server, commands, operation), millis, millis, TimeUnit.MILLISECONDS);
        return trim;
    }

    private void trim(MBeanServer server, ObjectName commands, String operation) {
        try {
            Object report = server.invoke(commands, operation, null, null);
            trims.incrementAndGet();
            LOG.debug("{}", report);
        } catch (JMException | RuntimeException e) {
            // A failing command is not worth the app: say why once and stop asking.
            LOG.warn("Trimming the native heap failed, not trying again: {}", e.toString());
            timer.shutdown();
        }
    }

    /** How many trims have run. */
    long trims() {
        return trims.get();
    }

    /** Whether trims are scheduled. */
    boolean running() {
        return timer != null && !timer.isShutdown();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
