package dev.starwire.bench.load;

import java.nio.file.Path;

/** Command-line options of {@link ChatLoad}; every run is bounded in streams, messages and time. */
final class Options {
    int port = -1;
    int streams = 100;
    int messages = 500;
    double rate = 50;
    int warmup = 0;
    long pid = -1;
    int holdSeconds = 0;
    int connectSeconds = 60;
    int drainSeconds = 15;
    int sendSeconds = 60;
    /** Limit of the warm-up's sending; by default that of the measured messages. */
    int warmupSeconds = -1;
    int timeoutSeconds = 180;
    int readyEvents = 2;
    int maxPending = 200;
    String joinPath = "/join-chat";
    String sendPath = "/send-message";
    String label = "";
    Path json;

    static final String USAGE = """
            usage: ChatLoad --port PORT [options]       (always connects to 127.0.0.1)
              --streams C          SSE streams opened on the join path (default 100, max 20000)
              --messages M         measured messages sent (default 500; 0 = idle run)
              --rate R             messages per second offered by the single sender (default 50)
              --warmup W           unmeasured messages sent first at the same rate (default 0)
              --hold-seconds S     keep the streams open S seconds, sampling RSS: the measured phase of an idle
                                   run, or a pause after the measured messages (e.g. for a memory snapshot)
              --pid PID            server process whose RSS (VmRSS/VmHWM), threads and CPU time are reported;
                                   its CPU per delivered event is its user+system time in the measured phase
                                   divided by the measured events delivered
              --ready-events N     events a stream receives before it counts as joined (default 2)
              --connect-seconds S  limit for opening all streams (default 60)
              --send-seconds S     stop sending after S seconds even if fewer than M were sent (default 60)
              --warmup-seconds S   the same limit for the warm-up messages (default: --send-seconds)
              --drain-seconds S    wait for late deliveries after the last send (default 15)
              --timeout-seconds S  hard limit for the whole run (default 180)
              --max-pending N      connections being opened at once (default 200)
              --join-path P        (default /join-chat)     --send-path P   (default /send-message)
              --label TEXT         name of the run in the output
              --json FILE          append the result as one JSON line to FILE
            exit status: 0 when every stream joined, every message was delivered to every stream (0 lost)
            and at least one was delivered (or, for an idle run, every stream joined); 1 otherwise; 2 on bad usage.""";

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (key.equals("--help") || key.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + key);
            }
            String v = args[++i];
            switch (key) {
                case "--port" -> o.port = range(key, Integer.parseInt(v), 1, 65535);
                case "--streams" -> o.streams = range(key, Integer.parseInt(v), 1, 20000);
                case "--messages" -> o.messages = range(key, Integer.parseInt(v), 0, 1_000_000);
                case "--rate" -> {
                    o.rate = Double.parseDouble(v);
                    if (!(o.rate > 0 && o.rate <= 100_000)) {
                        throw new IllegalArgumentException("--rate must be in (0, 100000]");
                    }
                }
                case "--warmup" -> o.warmup = range(key, Integer.parseInt(v), 0, 100_000);
                case "--pid" -> o.pid = Long.parseLong(v);
                case "--hold-seconds" -> o.holdSeconds = range(key, Integer.parseInt(v), 0, 3600);
                case "--ready-events" -> o.readyEvents = range(key, Integer.parseInt(v), 1, 100);
                case "--connect-seconds" -> o.connectSeconds = range(key, Integer.parseInt(v), 1, 3600);
                case "--send-seconds" -> o.sendSeconds = range(key, Integer.parseInt(v), 1, 3600);
                case "--warmup-seconds" -> o.warmupSeconds = range(key, Integer.parseInt(v), 1, 3600);
                case "--drain-seconds" -> o.drainSeconds = range(key, Integer.parseInt(v), 0, 3600);
                case "--timeout-seconds" -> o.timeoutSeconds = range(key, Integer.parseInt(v), 1, 7200);
                case "--max-pending" -> o.maxPending = range(key, Integer.parseInt(v), 1, 20000);
                case "--join-path" -> o.joinPath = path(v);
                case "--send-path" -> o.sendPath = path(v);
                case "--label" -> o.label = v;
                case "--json" -> o.json = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + key);
            }
        }
        if (o.warmupSeconds < 0) {
            o.warmupSeconds = o.sendSeconds;
        }
        if (o.port < 0) {
            throw new IllegalArgumentException("--port is required");
        }
        if ((long) o.streams * o.messages > 100_000_000L) {
            throw new IllegalArgumentException("streams x messages must stay below 100 million");
        }
        return o;
    }

    private static int range(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "]");
        }
        return v;
    }

    private static String path(String p) {
        if (!p.startsWith("/") || p.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("bad path " + p);
        }
        return p;
    }
}
