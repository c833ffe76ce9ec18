package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class NativeHeapTrimTest {

    @Test
    void trimsOnItsIntervalUntilClosed() throws Exception {
        assumeTrue(jvmCanTrim(), "this JVM has no System.trim_native_heap");
        try (NativeHeapTrim trim = NativeHeapTrim.start(Duration.ofMillis(20))) {
            assertTrue(trim.running());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (trim.trims() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(trim.trims() >= 3, "trims run: " + trim.trims());
            trim.close();
            assertFalse(trim.running());
            long afterClose = trim.trims();
            Thread.sleep(200); // ten intervals
            assertEquals(afterClose, trim.trims(), "no trim after close");
        }
    }

    @Test
    void aJvmWithoutTheCommandIsNeverAsked() {
        try (NativeHeapTrim trim = NativeHeapTrim.start(Duration.ofMillis(20), "noSuchDiagnosticCommand")) {
            assertFalse(trim.running());
            assertEquals(0, trim.trims());
        }
    }

    @Test
    void aZeroIntervalTurnsItOff() {
        try (NativeHeapTrim trim = NativeHeapTrim.start(Duration.ZERO)) {
            assertFalse(trim.running());
        }
    }

    private static boolean jvmCanTrim() throws Exception {
        ObjectName commands = new ObjectName("com.sun.management:type=DiagnosticCommand");
        return Arrays.stream(ManagementFactory.getPlatformMBeanServer().getMBeanInfo(commands).getOperations())
                .anyMatch(op -> op.getName().equals(NativeHeapTrim.TRIM_OPERATION));
    }
}
