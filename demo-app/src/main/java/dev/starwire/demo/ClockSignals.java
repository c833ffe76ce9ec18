package dev.starwire.demo;

/**
 * The signals the clock page declares ({@code clock.jte}), as {@code GET /start-sse} receives them.
 *
 * <pre>{@code
 * ClockSignals shown = stream.signals(ClockSignals.class);   // 400 for {"updateCount":"abc"}
 * }</pre>
 *
 * @param serverTime  the time shown, {@code HH:mm:ss}
 * @param updateCount how many ticks the page has seen
 * @param isConnected whether the page's clock is running
 * @param startTime   when the clock started, {@code HH:mm:ss}
 */
record ClockSignals(String serverTime, Integer updateCount, Boolean isConnected, String startTime) {
}
