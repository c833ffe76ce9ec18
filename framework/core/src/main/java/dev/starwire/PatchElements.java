package dev.starwire;

import gg.jte.Content;
import gg.jte.output.StringOutput;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code datastar-patch-elements} event: HTML to morph into, insert into or remove from the page.
 *
 * <pre>{@code
 * // morph by id (every top-level element carries an id)
 * PatchElements.of("<div id=\"clock\">12:00:00</div>");
 * // short forms: a mode and a target selector in one call
 * PatchElements.append("#messages", templates.chatMessage(msg));
 * PatchElements.inner(Selector.id(userId), "<b>online</b>");
 * PatchElements.remove("#toast");
 * // every option
 * PatchElements.builder().selector("#list").mode(ElementPatchMode.PREPEND).elements(item)
 *         .useViewTransition(true).viewTransitionSelector("#list").build();
 * }</pre>
 *
 * <p>Instances are immutable. The elements are a jte {@link Content} (a template model or a {@link Component})
 * and are rendered when the event is written, straight into the output.
 */
public final class PatchElements implements DatastarEvent {
    private final Content elements;
    private final String selector;
    private final ElementPatchMode mode;
    private final boolean useViewTransition;
    private final String viewTransitionSelector;
    private final Namespace namespace;
    private final String eventId;
    private final long retryMillis;

    private PatchElements(Builder b) {
        this.elements = b.elements;
        this.selector = b.selector;
        this.mode = b.mode;
        this.useViewTransition = b.useViewTransition;
        this.viewTransitionSelector = b.viewTransitionSelector;
        this.namespace = b.namespace;
        this.eventId = b.eventId;
        this.retryMillis = b.retryMillis;
        if (elements == null && (mode != ElementPatchMode.REMOVE || selector == null)) {
            throw new IllegalArgumentException(
                    "elements are required, except for mode remove with a selector");
        }
        if (elements instanceof HtmlText && mode != ElementPatchMode.REMOVE
                && ((HtmlText) elements).html().isBlank()) {
            throw new IllegalArgumentException(EMPTY_ELEMENTS);
        }
    }

    /** Why empty elements are refused (a component that renders nothing is refused when written). */
    static final String EMPTY_ELEMENTS = "elements must not be empty or blank (mode outer, inner, replace,"
            + " prepend, append, before, after); to empty an element use PatchElements.remove(\"#list > *\"),"
            + " to delete it PatchElements.remove(\"#list\")";

    /** Patches the given HTML; each top-level element is matched by its {@code id}. */
    public static PatchElements of(String html) {
        return builder().elements(html).build();
    }

    /** Patches the given component; each top-level element is matched by its {@code id}. */
    public static PatchElements of(Content component) {
        return builder().elements(component).build();
    }

    /** Removes the elements matching {@code selector}. */
    public static PatchElements remove(String selector) {
        return builder().selector(selector).mode(ElementPatchMode.REMOVE).build();
    }

    /** Inserts {@code html} as the last child of every element matching {@code selector}. */
    public static PatchElements append(String selector, String html) {
        return to(selector, ElementPatchMode.APPEND).elements(html).build();
    }

    /** Inserts {@code component} as the last child of every element matching {@code selector}. */
    public static PatchElements append(String selector, Content component) {
        return to(selector, ElementPatchMode.APPEND).elements(component).build();
    }

    /** Inserts {@code html} as the first child of every element matching {@code selector}. */
    public static PatchElements prepend(String selector, String html) {
        return to(selector, ElementPatchMode.PREPEND).elements(html).build();
    }

    /** Inserts {@code component} as the first child of every element matching {@code selector}. */
    public static PatchElements prepend(String selector, Content component) {
        return to(selector, ElementPatchMode.PREPEND).elements(component).build();
    }

    /** Morphs the children of every element matching {@code selector} into {@code html}. */
    public static PatchElements inner(String selector, String html) {
        return to(selector, ElementPatchMode.INNER).elements(html).build();
    }

    /** Morphs the children of every element matching {@code selector} into {@code component}. */
    public static PatchElements inner(String selector, Content component) {
        return to(selector, ElementPatchMode.INNER).elements(component).build();
    }

    /** Morphs every element matching {@code selector} into {@code html} (the element itself included). */
    public static PatchElements outer(String selector, String html) {
        return to(selector, ElementPatchMode.OUTER).elements(html).build();
    }

    /** Morphs every element matching {@code selector} into {@code component} (the element itself included). */
    public static PatchElements outer(String selector, Content component) {
        return to(selector, ElementPatchMode.OUTER).elements(component).build();
    }

    /** Replaces every element matching {@code selector} with {@code html}, without morphing. */
    public static PatchElements replace(String selector, String html) {
        return to(selector, ElementPatchMode.REPLACE).elements(html).build();
    }

    /** Replaces every element matching {@code selector} with {@code component}, without morphing. */
    public static PatchElements replace(String selector, Content component) {
        return to(selector, ElementPatchMode.REPLACE).elements(component).build();
    }

    /** Inserts {@code html} before every element matching {@code selector}, as its previous sibling. */
    public static PatchElements before(String selector, String html) {
        return to(selector, ElementPatchMode.BEFORE).elements(html).build();
    }

    /** Inserts {@code component} before every element matching {@code selector}, as its previous sibling. */
    public static PatchElements before(String selector, Content component) {
        return to(selector, ElementPatchMode.BEFORE).elements(component).build();
    }

    /** Inserts {@code html} after every element matching {@code selector}, as its next sibling. */
    public static PatchElements after(String selector, String html) {
        return to(selector, ElementPatchMode.AFTER).elements(html).build();
    }

    /** Inserts {@code component} after every element matching {@code selector}, as its next sibling. */
    public static PatchElements after(String selector, Content component) {
        return to(selector, ElementPatchMode.AFTER).elements(component).build();
    }

    private static Builder to(String selector, ElementPatchMode mode) {
        return builder().selector(selector).mode(mode);
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this event's options, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.elements = elements;
        b.selector = selector;
        b.mode = mode;
        b.useViewTransition = useViewTransition;
        b.viewTransitionSelector = viewTransitionSelector;
        b.namespace = namespace;
        b.eventId = eventId;
        b.retryMillis = retryMillis;
        return b;
    }

    /** The elements to patch; empty only for a removal by selector. */
    public Optional<Content> elements() {
        return Optional.ofNullable(elements);
    }

    /** The elements rendered to a string ({@code ""} when there are none). Not used on the hot path. */
    String elementsHtml() {
        if (elements == null) {
            return "";
        }
        StringOutput out = new StringOutput();
        elements.writeTo(out);
        return out.toString();
    }

    /** The CSS selector of the target; empty when elements are matched by id. */
    public Optional<String> selector() {
        return Optional.ofNullable(selector);
    }

    /** The patch mode, {@link ElementPatchMode#OUTER} by default. */
    public ElementPatchMode mode() {
        return mode;
    }

    /** Whether the client wraps the patch in a view transition. */
    public boolean useViewTransition() {
        return useViewTransition;
    }

    /**
     * The element whose view transition wraps the patch (the client calls {@code startViewTransition} on it
     * instead of the document); empty by default. Only used with {@link #useViewTransition()}.
     */
    public Optional<String> viewTransitionSelector() {
        return Optional.ofNullable(viewTransitionSelector);
    }

    /** The namespace of the elements, {@link Namespace#HTML} by default. */
    public Namespace namespace() {
        return namespace;
    }

    @Override
    public Optional<String> eventId() {
        return Optional.ofNullable(eventId);
    }

    @Override
    public long retryMillis() {
        return retryMillis;
    }

    @Override
    public String toString() {
        return "PatchElements{selector=" + selector + ", mode=" + mode.wireName() + ", namespace="
                + namespace.wireName() + ", useViewTransition=" + useViewTransition
                + (viewTransitionSelector == null ? "" : ", viewTransitionSelector=" + viewTransitionSelector)
                + ", eventId=" + eventId
                + ", retry=" + retryMillis + "}";
    }

    /** Builds a {@link PatchElements}; every option starts at its protocol default. */
    public static final class Builder extends EventBuilder<Builder> {
        private Content elements;
        private String selector;
        private ElementPatchMode mode = ElementPatchMode.OUTER;
        private boolean useViewTransition;
        private String viewTransitionSelector;
        private Namespace namespace = Namespace.HTML;

        private Builder() {
        }

        /**
         * Raw HTML; line breaks of any kind are split into separate data lines when written. Empty or blank
         * HTML is refused by {@link #build()} unless the mode is {@code remove}.
         */
        public Builder elements(String html) {
            Objects.requireNonNull(html, "html");
            this.elements = new HtmlText(html);
            return this;
        }

        /** A component (a jte model or a {@link Component}), rendered straight into the frame. */
        public Builder elements(Content component) {
            this.elements = Objects.requireNonNull(component, "component");
            return this;
        }

        /** The target's CSS selector; without one, elements are matched by id. */
        public Builder selector(String selector) {
            this.selector = Checks.requireSingleLine("selector", selector);
            return this;
        }

        /** The patch mode. */
        public Builder mode(ElementPatchMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Wraps the patch in {@code document.startViewTransition}. */
        public Builder useViewTransition(boolean useViewTransition) {
            this.useViewTransition = useViewTransition;
            return this;
        }

        /**
         * With {@link #useViewTransition}, runs the transition on the element matching {@code selector}
         * (scoped view transition) instead of the whole document.
         */
        public Builder viewTransitionSelector(String selector) {
            this.viewTransitionSelector = Checks.requireSingleLine("viewTransitionSelector", selector);
            return this;
        }

        /** The namespace for SVG or MathML fragments. */
        public Builder namespace(Namespace namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The immutable event.
         *
         * @throws IllegalArgumentException when there are no elements and this is not a removal by selector, or
         *                                  the HTML is empty or blank outside mode {@code remove}
         */
        public PatchElements build() {
            return new PatchElements(this);
        }
    }

    /** Raw HTML held as text; {@link SseWriter} recognises it to skip the TemplateOutput layer. */
    record HtmlText(String html) implements Content {
        @Override
        public void writeTo(gg.jte.TemplateOutput out) {
            out.writeContent(html);
        }
    }
}
