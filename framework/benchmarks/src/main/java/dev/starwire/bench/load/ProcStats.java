package dev.starwire.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a Linux process's memory, thread count and CPU time from /proc, and the whole machine's CPU time, so a
 * run can tell the server's share, the load tool's own share and what other processes took meanwhile.
 */
final class ProcStats {
    private final long pid;
    long maxRssKb;
    long hwmKb;
    int maxThreads;

    ProcStats(long pid) {
        this.pid = pid;
    }

    boolean enabled() {
        return pid > 0;
    }

    /** Samples VmRSS, VmHWM and Threads; returns false when the process is gone. */
    boolean sample() {
        if (pid <= 0) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    maxRssKb = Math.max(maxRssKb, kb(line));
                } else if (line.startsWith("VmHWM:")) {
                    hwmKb = Math.max(hwmKb, kb(line));
                } else if (line.startsWith("Threads:")) {
                    maxThreads = Math.max(maxThreads, Integer.parseInt(line.substring(8).trim()));
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** User + system CPU time of the process in milliseconds, or -1. */
    long cpuMillis() {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may contain spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time this JVM (the load tool) has used, in milliseconds, or -1 where the JVM cannot tell. */
    static long selfCpuMillis() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? -1 : nanos / 1_000_000;
        }
        return -1;
    }

    /**
     * Busy CPU time of the whole machine (every core: user, nice, system, irq, softirq, steal) in milliseconds
     * from {@code /proc/stat}, or -1.
     */
    static long machineBusyMillis() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) { // idle and iowait are not busy
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 10; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long kb(String line) {
        String v = line.substring(line.indexOf(':') + 1).trim();
        return Long.parseLong(v.substring(0, v.indexOf(' ')));
    }
}
