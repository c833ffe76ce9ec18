package dev.starwire.test;

import dev.starwire.ElementPatchMode;
import dev.starwire.Namespace;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code datastar-patch-elements} event as the test kit received it (from a stream, or a one-shot
 * {@code text/html} answer with its {@code datastar-*} headers). What the server sends is a
 * {@link dev.starwire.PatchElements}; what the kit receives is this.
 *
 * <pre>{@code
 * ReceivedPatchElements p = (ReceivedPatchElements) SseParser.parse(bytes).get(0);
 * assertEquals(ElementPatchMode.APPEND, p.mode());
 * assertEquals("#messages", p.selector().orElseThrow());
 * }</pre>
 *
 * @param selector          the {@code selector} line; empty when elements are matched by id
 * @param mode              the {@code mode} line, {@code outer} when absent
 * @param useViewTransition the {@code useViewTransition} line
 * @param viewTransitionSelector the {@code viewTransitionSelector} line, empty when absent
 * @param namespace         the {@code namespace} line, {@code html} when absent
 * @param elements          the {@code elements} lines joined with {@code \n}; {@code ""} when there were none
 * @param eventId           the {@code id:} field of the event
 * @param retryMillis       the {@code retry:} field, 1000 when absent
 */
public record ReceivedPatchElements(Optional<String> selector, ElementPatchMode mode, boolean useViewTransition,
                                    Optional<String> viewTransitionSelector, Namespace namespace, String elements,
                                    Optional<String> eventId, long retryMillis) implements ReceivedEvent {

    /** Checks that no component is null. */
    public ReceivedPatchElements {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(viewTransitionSelector, "viewTransitionSelector");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(elements, "elements");
        Objects.requireNonNull(eventId, "eventId");
    }
}
