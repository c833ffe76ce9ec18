package dev.starwire.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The straightforward way to frame Datastar events by hand: build the frame in a {@link StringBuilder},
 * split the HTML with {@link String#split}, and write the string as UTF-8. This is the baseline the
 * encoding benchmarks compare {@code SseWriter} with. (It splits on {@code \n} only, which is less safe
 * than {@code SseWriter} and therefore, if anything, flatters the baseline.)
 */
final class ByHand {
    private ByHand() {
    }

    static void patchElements(OutputStream out, String selector, String mode, String html) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("event: datastar-patch-elements\n");
        sb.append("data: selector ").append(selector).append('\n');
        sb.append("data: mode ").append(mode).append('\n');
        for (String line : html.split("\n")) {
            sb.append("data: elements ").append(line).append('\n');
        }
        sb.append('\n');
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static void patchSignals(OutputStream out, String json) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("event: datastar-patch-signals\n");
        sb.append("data: signals ").append(json).append('\n');
        sb.append('\n');
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
