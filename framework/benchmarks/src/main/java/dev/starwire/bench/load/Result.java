package dev.starwire.bench.load;

import java.util.Locale;

/** What one run measured; printed for people and as one JSON line for scripts. */
final class Result {
    final Options o;
    double joinSeconds;
    int joined;
    int failedBeforeJoin;
    int droppedAfterJoin;
    String firstStreamError;
    int sent;
    int attempted;
    int sendErrors;
    String firstSendError;
    long expected;
    long delivered;
    long duplicates;
    double achievedRate;
    double deliveredPerSecond;
    double p50Millis = -1;
    double p99Millis = -1;
    double maxMillis = -1;
    double rssPeakMiB = -1;
    double hwmMiB = -1;
    int serverThreads = -1;
    double serverCpuSeconds = -1;
    double serverCpuTotalSeconds = -1;
    /** Wall time of the measured phase (measured messages and their drain, or the idle hold). */
    double measuredSeconds;
    /** CPU time the load tool itself used during the measured phase. */
    double toolCpuSeconds = -1;
    /** CPU time every process on the machine used during the measured phase (all cores). */
    double machineBusySeconds = -1;
    double seconds;
    long bytesRead;

    Result(Options o) {
        this.o = o;
    }

    long lost() {
        return Math.max(0, expected - delivered);
    }

    /** Server CPU (user + system) per delivered measured event, in microseconds; -1 when unknown. */
    double cpuPerEventMicros() {
        return serverCpuSeconds >= 0 && delivered > 0 ? serverCpuSeconds * 1e6 / delivered : -1;
    }

    /** Peak resident memory of the server: the kernel's high-water mark, or the highest sample if larger. */
    double peakRssMiB() {
        return Math.max(rssPeakMiB, hwmMiB);
    }

    /** Cores the load tool kept busy on average during the measured phase. */
    double toolCores() {
        return toolCpuSeconds >= 0 && measuredSeconds > 0 ? toolCpuSeconds / measuredSeconds : -1;
    }

    /** Cores that processes other than the server and the load tool kept busy on average meanwhile. */
    double otherCores() {
        if (machineBusySeconds < 0 || toolCpuSeconds < 0 || measuredSeconds <= 0) {
            return -1;
        }
        double server = Math.max(0, serverCpuSeconds);
        return Math.max(0, machineBusySeconds - server - toolCpuSeconds) / measuredSeconds;
    }

    boolean ok() {
        boolean allJoined = joined == o.streams && droppedAfterJoin == 0;
        if (o.messages == 0) {
            return allJoined;
        }
        return allJoined && sendErrors == 0 && sent > 0 && delivered > 0 && lost() == 0;
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s streams=%d joined=%d (%.1f s) failed=%d dropped=%d%n",
                o.label.isEmpty() ? "run" : o.label, o.streams, joined, joinSeconds, failedBeforeJoin,
                droppedAfterJoin));
        if (o.messages > 0) {
            sb.append(String.format(Locale.ROOT,
                    "  messages sent=%d of %d%s errors=%d offered=%.0f/s achieved=%.1f/s%n",
                    sent, o.messages, attempted < o.messages ? " (stopped at the time limit)" : "", sendErrors,
                    o.rate, achievedRate));
            sb.append(String.format(Locale.ROOT,
                    "  delivered=%d expected=%d lost=%d duplicates=%d events/s=%.0f%n",
                    delivered, expected, lost(), duplicates, deliveredPerSecond));
            sb.append(String.format(Locale.ROOT, "  fan-out latency ms p50=%.2f p99=%.2f max=%.2f%n",
                    p50Millis, p99Millis, maxMillis));
        }
        if (rssPeakMiB >= 0) {
            sb.append(String.format(Locale.ROOT,
                    "  server rss peak=%.1f MiB hwm=%.1f MiB threads=%d cpu=%.2f s (measured phase)%s%n",
                    rssPeakMiB, hwmMiB, serverThreads, serverCpuSeconds, cpuPerEventMicros() < 0 ? ""
                            : String.format(Locale.ROOT, " = %.2f µs per delivered event", cpuPerEventMicros())));
        }
        if (measuredSeconds > 0 && toolCores() >= 0) {
            sb.append(String.format(Locale.ROOT,
                    "  measured phase %.1f s: load tool %.2f cores, other processes %.2f cores%n",
                    measuredSeconds, toolCores(), otherCores()));
        }
        if (firstStreamError != null) {
            sb.append("  first stream error: ").append(firstStreamError).append('\n');
        }
        if (firstSendError != null) {
            sb.append("  first send error: ").append(firstSendError).append('\n');
        }
        sb.append(ok() ? "  OK" : "  NOT OK").append(String.format(Locale.ROOT, " (%.1f s)", seconds));
        return sb.toString();
    }

    String json() {
        return String.format(Locale.ROOT, "{\"label\":%s,\"streams\":%d,\"messages\":%d,\"rate\":%s,\"joined\":%d,"
                        + "\"joinSeconds\":%.2f,\"failedBeforeJoin\":%d,\"droppedAfterJoin\":%d,\"attempted\":%d,\"sent\":%d,"
                        + "\"sendErrors\":%d,\"achievedRate\":%.2f,\"expected\":%d,\"delivered\":%d,\"lost\":%d,"
                        + "\"duplicates\":%d,\"deliveredPerSecond\":%.1f,\"p50Ms\":%.3f,\"p99Ms\":%.3f,"
                        + "\"maxMs\":%.3f,\"rssPeakMiB\":%.1f,\"hwmMiB\":%.1f,\"serverThreads\":%d,"
                        + "\"serverCpuSeconds\":%.2f,\"cpuPerEventMicros\":%.3f,\"peakRssMiB\":%.1f,"
                        + "\"measuredSeconds\":%.2f,\"toolCpuSeconds\":%.2f,\"toolCores\":%.3f,"
                        + "\"otherCores\":%.3f,\"seconds\":%.1f,\"ok\":%s,\"firstError\":%s}",
                quote(o.label), o.streams, o.messages, o.rate, joined, joinSeconds, failedBeforeJoin,
                droppedAfterJoin, attempted, sent, sendErrors, achievedRate, expected, delivered, lost(), duplicates,
                deliveredPerSecond, p50Millis, p99Millis, maxMillis, rssPeakMiB, hwmMiB, serverThreads,
                serverCpuSeconds, cpuPerEventMicros(), peakRssMiB(), measuredSeconds, toolCpuSeconds, toolCores(),
                otherCores(), seconds, ok(),
                quote(firstStreamError != null ? firstStreamError : firstSendError));
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
