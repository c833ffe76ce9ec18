package dev.starwire.javalin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the Linux kernel and this process hold, read from {@code /proc}: the resident set size and the bytes
 * waiting in the TCP queues of the connections to one local port (both ends, since the test's clients run
 * on the same machine). Per-port sums are immune to other processes' sockets, unlike {@code sockstat}.
 */
final class Kernel {
    private Kernel() {
    }

    /** This process's resident set size in bytes ({@code VmRSS}). */
    static long rssBytes() {
        for (String line : read(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /**
     * Bytes queued in the kernel for the TCP connections of {@code port}: the send queues of the server's
     * sockets (local port = {@code port}) plus the receive queues of the clients' sockets (remote port =
     * {@code port}).
     */
    static long queuedBytes(int port) {
        return queued(port, true);
    }

    /** Bytes in the send queues of the server's sockets of {@code port} only. */
    static long serverSendQueues(int port) {
        return queued(port, false);
    }

    private static long queued(int port, boolean clientsToo) {
        long sum = 0;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = read(p);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue ...
                String[] f = line.trim().split("\\s+");
                int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                String[] queues = f[4].split(":");
                if (local == port) {
                    sum += Long.parseLong(queues[0], 16);
                } else if (clientsToo && remote == port) {
                    sum += Long.parseLong(queues[1], 16);
                }
            }
        }
        return sum;
    }

    /** The server-side sockets of {@code port}: state (hex, as in /proc) and send queue, for failure messages. */
    static String describe(int port) {
        StringBuilder out = new StringBuilder();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = read(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == port) {
                    out.append(f[3]).append('/').append(Long.parseLong(f[4].split(":")[0], 16)).append(' ');
                }
            }
        }
        return out.toString();
    }

    /** Whether {@code /proc} can be read here (Linux). */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/status")) && Files.isReadable(Path.of("/proc/net/tcp"));
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
