package dev.starwire.javalin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Linux kernel and this process hold, read from {@code /proc}: the resident set size and the bytes
 * waiting in the TCP queues of the connections to one local port (both ends, since the test's clients run
 * on the same machine). Per-port sums are immune to other processes' sockets, unlike {@code sockstat}.
 */
final class Kernel {
    private Kernel() {
    }

    /** One line of {@code /proc/net/tcp}: ports, state (hex, as the kernel writes it) and queue sizes. */
    private record Socket(int localPort, int remotePort, String state, long sendQueue, long receiveQueue) {
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
        long sum = 0;
        for (Socket s : sockets()) {
            sum += s.localPort() == port ? s.sendQueue() : s.remotePort() == port ? s.receiveQueue() : 0;
        }
        return sum;
    }

    /** Bytes in the send queues of the server's sockets of {@code port} only. */
    static long serverSendQueues(int port) {
        return sockets().stream().filter(s -> s.localPort() == port).mapToLong(Socket::sendQueue).sum();
    }

    /** The server-side sockets of {@code port} as state/send queue, for failure messages. */
    static String describe(int port) {
        StringBuilder out = new StringBuilder();
        for (Socket s : sockets()) {
            if (s.localPort() == port) {
                out.append(s.state()).append('/').append(s.sendQueue()).append(' ');
            }
        }
        return out.toString();
    }

    /** Whether {@code /proc} can be read here (Linux). */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/status")) && Files.isReadable(Path.of("/proc/net/tcp"));
    }

    private static List<Socket> sockets() {
        List<Socket> out = new ArrayList<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = read(p);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue ...
                String[] f = line.trim().split("\\s+");
                String[] queues = f[4].split(":");
                out.add(new Socket(port(f[1]), port(f[2]), f[3], Long.parseLong(queues[0], 16),
                        Long.parseLong(queues[1], 16)));
            }
        }
        return out;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
