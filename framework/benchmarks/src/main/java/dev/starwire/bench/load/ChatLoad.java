package dev.starwire.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * The chat fan-out load tool: opens C Server-Sent Event streams on {@code /join-chat} from one thread
 * (java.nio, raw HTTP/1.1), then one sender POSTs M messages at R per second to {@code /send-message}, each
 * text carrying a marker so every receipt is matched to its send. Reports delivered events per second,
 * fan-out latency (send to receipt) p50/p99/max, lost messages, the achieved message rate and, given the
 * server's PID, its peak RSS and its CPU time per delivered event; also the CPU the tool itself used and what
 * other processes on the machine took meanwhile. Connects to 127.0.0.1 only and stops by itself.
 *
 * <pre>{@code
 * java -cp framework/benchmarks/target/benchmarks.jar dev.starwire.bench.load.ChatLoad \
 *     --port 7070 --streams 2000 --messages 3000 --rate 150 --pid 12345
 * }</pre>
 */
public final class ChatLoad {
    private ChatLoad() {
    }

    /** Runs one load run; exits 0 when every stream joined and every message reached every stream. */
    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        Result r = new Run(o).execute();
        System.out.println(r.summary());
        if (o.json != null) {
            Files.writeString(o.json, r.json() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.exit(r.ok() ? 0 : 1);
    }
}
