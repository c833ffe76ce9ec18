package dev.starwire.javalin;

import dev.starwire.PatchSignals;

/** Events that carry their sequence number, to check order and completeness on the client's side. */
final class NumberedEvents {
    private NumberedEvents() {
    }

    /** A patch of signals {@code {"n": n, "pad": padding}}. */
    static PatchSignals numbered(int n, String padding) {
        return PatchSignals.ofJson("{\"n\":" + n + ",\"pad\":\"" + padding + "\"}");
    }

    /** The {@code n} of a block written from {@link #numbered}. */
    static int numberOf(SseConnection.Block b) {
        String data = b.dataText();
        int start = data.indexOf("\"n\":") + 4;
        return Integer.parseInt(data.substring(start, data.indexOf(',', start)));
    }
}
