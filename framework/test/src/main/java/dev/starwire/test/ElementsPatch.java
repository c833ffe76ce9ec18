package dev.starwire.test;

import dev.starwire.ElementPatchMode;
import dev.starwire.Namespace;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed {@code datastar-patch-elements} event.
 *
 * <pre>{@code
 * ElementsPatch p = (ElementsPatch) SseParser.parse(bytes).get(0);
 * assertEquals(ElementPatchMode.APPEND, p.mode());
 * assertEquals("#messages", p.selector().orElseThrow());
 * }</pre>
 *
 * @param selector          the {@code selector} line; empty when elements are matched by id
 * @param mode              the {@code mode} line, {@code outer} when absent
 * @param useViewTransition the {@code useViewTransition} line
 * @param namespace         the {@code namespace} line, {@code html} when absent
 * @param elements          the {@code elements} lines joined with {@code \n}; {@code ""} when there were none
 * @param eventId           the {@code id:} field of the event
 * @param retryMillis       the {@code retry:} field, 1000 when absent
 */
public record ElementsPatch(Optional<String> selector, ElementPatchMode mode, boolean useViewTransition,
                            Namespace namespace, String elements, Optional<String> eventId, long retryMillis)
        implements ReceivedEvent {

    /** Checks that no component is null. */
    public ElementsPatch {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(elements, "elements");
        Objects.requireNonNull(eventId, "eventId");
    }
}
