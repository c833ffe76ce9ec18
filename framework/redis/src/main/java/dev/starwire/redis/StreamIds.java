package dev.starwire.redis;

/**
 * Redis stream entry ids ({@code "<milliseconds>-<sequence>"}, both unsigned 64-bit numbers): parsing and
 * numeric ordering. String order is wrong for them ({@code "9-0" > "10-0"} as strings).
 */
final class StreamIds {

    /** The id before every real entry: reading "after" it reads the whole stream. */
    static final String BEFORE_ALL = "0-0";

    private StreamIds() {
    }

    /** Whether {@code id} is a complete {@code ms-seq} id; clients send us arbitrary Last-Event-ID headers. */
    static boolean isValid(String id) {
        if (id == null) {
            return false;
        }
        int dash = id.indexOf('-');
        return dash > 0 && dash < id.length() - 1
                && isUnsigned64(id, 0, dash)
                && isUnsigned64(id, dash + 1, id.length());
    }

    /** Compares two valid ids numerically: milliseconds first, then sequence. */
    static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int byTime = Long.compareUnsigned(x[0], y[0]);
        return byTime != 0 ? byTime : Long.compareUnsigned(x[1], y[1]);
    }

    private static long[] parse(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("not a Redis stream id (expected <ms>-<seq>): " + id);
        }
        int dash = id.indexOf('-');
        return new long[] {
                Long.parseUnsignedLong(id.substring(0, dash)),
                Long.parseUnsignedLong(id.substring(dash + 1))};
    }

    private static boolean isUnsigned64(String s, int from, int to) {
        if (to - from > 20) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        try {
            Long.parseUnsignedLong(s.substring(from, to));
            return true;
        } catch (NumberFormatException tooLarge) {
            return false;
        }
    }
}
