package dev.starwire.templates;

import dev.starwire.templates.internal.LayoutTemplates;
import dev.starwire.templates.internal.StaticLayoutTemplates;
import gg.jte.Content;
import gg.jte.models.runtime.JteModel;

/**
 * Starwire's page layout and Datastar script tag, precompiled, for your own templates and your Java code.
 * Call it the same way from both: from a {@code .jte} file as an expression whose body is a content block,
 * or from Java with any {@link Content} (a template of your facade, a {@code Component}).
 *
 * <pre>{@code
 * <%-- src/main/jte/index.jte: a page of your app on the layout --%>
 * @import dev.starwire.templates.Layout
 * @import dev.starwire.templates.PageOptions
 * @param PageOptions page
 * ${Layout.page(page, "Hello", @`
 * <main id="app">...</main>
 * `)}
 *
 * <%-- or in a layout of your own: just the script tag --%>
 * <head>${Layout.datastarScript(page)}</head>
 * }</pre>
 *
 * <pre>{@code
 * // the same from Java
 * ctx.html(Layout.page(options.withNonce(nonce), "Hello", templates.greeting("Ana")).render());
 * }</pre>
 *
 * <p>A jte {@code @template.x(...)} call is compiled from the called template's source, so an app's
 * templates cannot name templates inside a jar; these methods are the supported entry point instead. Both
 * are rendered by precompiled code (no reflection) and escape their values with jte's HTML rules.
 */
public final class Layout {
    private static final LayoutTemplates TEMPLATES = new StaticLayoutTemplates();

    private Layout() {
    }

    /**
     * A whole HTML page: {@code <!DOCTYPE html>}, {@code <html lang>}, charset and viewport meta tags, the
     * escaped {@code title}, the Datastar client script as {@code options} say (source, integrity,
     * crossorigin, nonce), the {@linkplain PageOptions#head() extra head markup}, then {@code body}.
     *
     * @param options how to load the client, the page language, extra head markup
     * @param title   the page title, escaped
     * @param body    the contents of {@code <body>}, written as it renders
     * @return the page, to render or to pass on as {@link Content}
     */
    public static JteModel page(PageOptions options, String title, Content body) {
        return TEMPLATES.page(options, title, body);
    }

    /**
     * Only the {@code <script type="module">} tag that loads the Datastar client, with the
     * {@code integrity}, {@code crossorigin} and {@code nonce} attributes that {@code options} set.
     *
     * @param options where the client comes from and which attributes its tag carries
     * @return the script tag
     */
    public static JteModel datastarScript(PageOptions options) {
        return TEMPLATES.datastarScript(options);
    }
}
