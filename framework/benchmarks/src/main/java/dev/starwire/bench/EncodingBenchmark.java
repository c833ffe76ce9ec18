package dev.starwire.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.SseWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Framing one event onto a stream: {@link SseWriter} against the by-hand {@link ByHand} baseline. Both write
 * into the same kind of {@link Sink}; {@link #check()} proves they produce identical bytes first.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodingBenchmark {

    /** Patch-elements of a given size and line structure. */
    @State(Scope.Thread)
    public static class Elements {
        @Param({"200", "2000", "20000"})
        int size;

        @Param({"single", "multi"})
        String lines;

        String html;
        Sink sink;
        SseWriter writer;

        @Setup
        public void setup() throws IOException {
            html = Html.of(size, lines.equals("multi"));
            sink = new Sink();
            writer = new SseWriter(sink);
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            new SseWriter(a).write(event(html)).flush();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ByHand.patchElements(b, "#messages", "inner", html);
            requireSame(a.toByteArray(), b.toByteArray());
        }
    }

    /** Patch-signals of a 20-key object. */
    @State(Scope.Thread)
    public static class Signals {
        static final ObjectMapper MAPPER = new ObjectMapper();
        Map<String, Object> signals;
        String json;
        Sink sink;
        SseWriter writer;

        @Setup
        public void setup() throws IOException {
            signals = new LinkedHashMap<>();
            for (int i = 0; i < 20; i++) {
                switch (i % 4) {
                    case 0 -> signals.put("text" + i, "value number " + i);
                    case 1 -> signals.put("count" + i, i * 1000);
                    case 2 -> signals.put("flag" + i, i % 3 == 0);
                    default -> signals.put("ratio" + i, i / 8.0);
                }
            }
            sink = new Sink();
            writer = new SseWriter(sink);
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            new SseWriter(a).write(PatchSignals.of(signals)).flush();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            json = MAPPER.writeValueAsString(signals);
            ByHand.patchSignals(b, json);
            requireSame(a.toByteArray(), b.toByteArray());
            ByteArrayOutputStream c = new ByteArrayOutputStream();
            new SseWriter(c).write(PatchSignals.ofJson(json)).flush();
            requireSame(c.toByteArray(), b.toByteArray());
        }
    }

    static PatchElements event(String html) {
        return PatchElements.builder().selector("#messages").mode(ElementPatchMode.INNER).elements(html).build();
    }

    static void requireSame(byte[] starwire, byte[] byHand) {
        if (!Arrays.equals(starwire, byHand)) {
            throw new IllegalStateException("the two encoders disagree:\n--- SseWriter\n"
                    + new String(starwire, java.nio.charset.StandardCharsets.UTF_8) + "\n--- by hand\n"
                    + new String(byHand, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Builds the event and frames it with a stream's long-lived {@link SseWriter}. */
    @Benchmark
    public long elementsStarwire(Elements s) throws IOException {
        s.writer.write(event(s.html)).flush();
        return s.sink.total;
    }

    /** StringBuilder, String.split, getBytes(UTF_8). */
    @Benchmark
    public long elementsByHand(Elements s) throws IOException {
        ByHand.patchElements(s.sink, "#messages", "inner", s.html);
        return s.sink.total;
    }

    /** {@link SseWriter#encode}: the one-off frame a hub encodes once per publish. */
    @Benchmark
    public byte[] elementsEncodeOnce(Elements s) {
        return SseWriter.encode(event(s.html));
    }

    /** {@code PatchSignals.of(map)}: serialises with Jackson and frames. */
    @Benchmark
    public long signalsStarwire(Signals s) throws IOException {
        s.writer.write(PatchSignals.of(s.signals)).flush();
        return s.sink.total;
    }

    /** Jackson {@code writeValueAsString}, then StringBuilder and getBytes(UTF_8). */
    @Benchmark
    public long signalsByHand(Signals s) throws IOException {
        ByHand.patchSignals(s.sink, Signals.MAPPER.writeValueAsString(s.signals));
        return s.sink.total;
    }

    /** Framing only: the JSON text is ready ({@code PatchSignals.ofJson}). */
    @Benchmark
    public long signalsFramingStarwire(Signals s) throws IOException {
        s.writer.write(PatchSignals.ofJson(s.json)).flush();
        return s.sink.total;
    }

    /** Framing only, by hand: the JSON text is ready. */
    @Benchmark
    public long signalsFramingByHand(Signals s) throws IOException {
        ByHand.patchSignals(s.sink, s.json);
        return s.sink.total;
    }
}
