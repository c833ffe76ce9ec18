package dev.starwire;

import gg.jte.Content;
import gg.jte.output.StringOutput;
import gg.jte.output.WriterOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Renders a component as a plain HTML document or fragment, outside any Datastar event: for a full page
 * (the layout wrapping a component) answered to an ordinary {@code GET}.
 *
 * <pre>{@code
 * ctx.contentType(Html.CONTENT_TYPE);
 * Html.write(templates.chatPage(options, history), ctx.outputStream());   // a page template of your app
 * }</pre>
 */
public final class Html {
    /** {@code text/html; charset=utf-8}. */
    public static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private Html() {
    }

    /**
     * Writes {@code content} as UTF-8 into {@code out} (flushed, not closed). The page is rendered completely
     * before the first byte is written, so a component that throws leaves {@code out} untouched and the
     * server can still answer with an error status instead of half a page.
     */
    public static void write(Content content, OutputStream out) throws IOException {
        ByteArrayOutputStream page = new ByteArrayOutputStream(4096);
        Writer w = new OutputStreamWriter(page, StandardCharsets.UTF_8);
        content.writeTo(new WriterOutput(w));
        w.flush();
        page.writeTo(out);
        out.flush();
    }

    /** Renders {@code content} to a String (tests, small fragments). */
    public static String render(Content content) {
        StringOutput out = new StringOutput();
        content.writeTo(out);
        return out.toString();
    }
}
