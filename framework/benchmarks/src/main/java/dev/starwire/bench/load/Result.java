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
    double seconds;
    long bytesRead;

    Result(Options o) {
        this.o = o;
    }

    long lost() {
        return Math.max(0, expected - delivered);
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
                    "  server rss peak=%.1f MiB hwm=%.1f MiB threads=%d cpu=%.1f s (measured phase)%n",
                    rssPeakMiB, hwmMiB, serverThreads, serverCpuSeconds));
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
                        + "\"serverCpuSeconds\":%.2f,\"seconds\":%.1f,\"ok\":%s,\"firstError\":%s}",
                quote(o.label), o.streams, o.messages, o.rate, joined, joinSeconds, failedBeforeJoin,
                droppedAfterJoin, attempted, sent, sendErrors, achievedRate, expected, delivered, lost(), duplicates,
                deliveredPerSecond, p50Millis, p99Millis, maxMillis, rssPeakMiB, hwmMiB, serverThreads,
                serverCpuSeconds, seconds, ok(),
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
