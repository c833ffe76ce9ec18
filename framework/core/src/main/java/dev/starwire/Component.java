package dev.starwire;

import gg.jte.Content;
import gg.jte.TemplateOutput;

/**
 * A piece of HTML that renders itself into a jte {@link TemplateOutput}.
 *
 * <p>Every jte template model ({@code gg.jte.models.runtime.JteModel}) is a {@link Content} and can be used
 * wherever a {@code Content} is accepted; this interface is for small hand-written fragments:
 *
 * <pre>{@code
 * Component badge = out -> out.writeContent("<span id=\"badge\">3</span>");
 * stream.send(PatchElements.of(badge));
 * }</pre>
 *
 * <p>Output written with {@code writeContent} is raw HTML: escape user text yourself (or use a jte template,
 * which escapes by default).
 */
@FunctionalInterface
public interface Component extends Content {

    /** Writes this component's HTML to {@code out}. */
    void render(TemplateOutput out);

    @Override
    default void writeTo(TemplateOutput out) {
        render(out);
    }
}
