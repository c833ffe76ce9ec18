package dev.starwire.bench;

import dev.starwire.Component;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.SseWriter;
import gg.jte.TemplateOutput;
import gg.jte.html.escape.Escape;
import gg.jte.output.StringOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 * A chat history of 20 messages rendered by a {@link Component} that writes its HTML in many pieces, the
 * way a compiled jte template does (static parts as strings or as precompiled UTF-8 bytes, user text
 * escaped): rendered straight into the SSE frame, against rendering to a String first.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ComponentBenchmark {
    record Message(String author, String text, String time) {
    }

    /** How the component writes its static HTML: jte's default (strings) or binaryStaticContent (bytes). */
    @Param({"string", "bytes"})
    String staticParts;

    Component history;
    Sink sink;
    SseWriter writer;

    @Setup
    public void setup() throws IOException {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            messages.add(new Message("User " + (i % 5), "Halo semua, ini pesan nomor " + i + " & <b>bukan</b> tag",
                    String.format("12:%02d:%02d", i % 60, (i * 7) % 60)));
        }
        history = staticParts.equals("bytes") ? new BinaryHistory(messages) : new StringHistory(messages);
        sink = new Sink();
        writer = new SseWriter(sink);

        ByteArrayOutputStream intoFrame = new ByteArrayOutputStream();
        new SseWriter(intoFrame).write(event(history)).flush();
        ByteArrayOutputStream viaString = new ByteArrayOutputStream();
        new SseWriter(viaString).write(event(render(history))).flush();
        ByteArrayOutputStream byHand = new ByteArrayOutputStream();
        ByHand.patchElements(byHand, "#messages", "inner", render(history));
        EncodingBenchmark.requireSame(intoFrame.toByteArray(), viaString.toByteArray());
        EncodingBenchmark.requireSame(intoFrame.toByteArray(), byHand.toByteArray());
    }

    static PatchElements event(Component c) {
        return PatchElements.builder().selector("#messages").mode(ElementPatchMode.INNER).elements(c).build();
    }

    static PatchElements event(String html) {
        return PatchElements.builder().selector("#messages").mode(ElementPatchMode.INNER).elements(html).build();
    }

    static String render(Component c) {
        StringOutput out = new StringOutput();
        c.writeTo(out);
        return out.toString();
    }

    /** The component renders into the writer's frame buffer: no intermediate String. */
    @Benchmark
    public long intoFrame() throws IOException {
        writer.write(event(history)).flush();
        return sink.total;
    }

    /** Render to a String with jte's StringOutput, then frame the String with SseWriter. */
    @Benchmark
    public long viaString() throws IOException {
        writer.write(event(render(history))).flush();
        return sink.total;
    }

    /** Render to a String, then frame it by hand (StringBuilder, split, getBytes). */
    @Benchmark
    public long byHand() throws IOException {
        ByHand.patchElements(sink, "#messages", "inner", render(history));
        return sink.total;
    }

    /** Static parts as Strings, as jte writes them by default. */
    static final class StringHistory implements Component {
        private final List<Message> messages;

        StringHistory(List<Message> messages) {
            this.messages = messages;
        }

        @Override
        public void render(TemplateOutput out) {
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                if (i > 0) {
                    out.writeContent("\n");
                }
                out.writeContent("<div class=\"message\">\n  <div class=\"message-author\">");
                Escape.htmlContent(m.author(), out);
                out.writeContent("</div>\n  <div class=\"message-text\">");
                Escape.htmlContent(m.text(), out);
                out.writeContent("</div>\n  <div class=\"message-time\">");
                Escape.htmlContent(m.time(), out);
                out.writeContent("</div>\n</div>");
            }
        }
    }

    /** Static parts as precompiled UTF-8 bytes, as jte writes them with binaryStaticContent. */
    static final class BinaryHistory implements Component {
        private static final byte[] NL = utf8("\n");
        private static final byte[] OPEN = utf8("<div class=\"message\">\n  <div class=\"message-author\">");
        private static final byte[] TEXT = utf8("</div>\n  <div class=\"message-text\">");
        private static final byte[] TIME = utf8("</div>\n  <div class=\"message-time\">");
        private static final byte[] CLOSE = utf8("</div>\n</div>");
        private final List<Message> messages;

        BinaryHistory(List<Message> messages) {
            this.messages = messages;
        }

        @Override
        public void render(TemplateOutput out) {
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                if (i > 0) {
                    out.writeBinaryContent(NL);
                }
                out.writeBinaryContent(OPEN);
                Escape.htmlContent(m.author(), out);
                out.writeBinaryContent(TEXT);
                Escape.htmlContent(m.text(), out);
                out.writeBinaryContent(TIME);
                Escape.htmlContent(m.time(), out);
                out.writeBinaryContent(CLOSE);
            }
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
