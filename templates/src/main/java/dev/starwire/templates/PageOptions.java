package dev.starwire.templates;

import gg.jte.Content;
import java.util.Objects;

/**
 * How the page layout ({@link Layout}) loads the Datastar client: script URL, optional
 * Subresource Integrity, {@code crossorigin}, the CSP nonce, the page language and extra head markup.
 *
 * <pre>{@code
 * // app-wide settings, made once
 * PageOptions base = PageOptions.builder()
 *         .integrity(PageOptions.DATASTAR_1_0_1_INTEGRITY)   // pin the CDN file (off by default)
 *         .build();
 * // per request: the nonce from your Content-Security-Policy header
 * ctx.html(Layout.page(base.withNonce(nonce), "Clock", templates.clock(now)).render());
 * }</pre>
 *
 * <p>By default the client comes from {@link #DATASTAR_CDN} without an {@code integrity} attribute: a wrong
 * hash blocks the client entirely, so pinning is an explicit choice. Instances are immutable.
 */
public final class PageOptions {
    /** The Datastar 1.0.1 client on jsDelivr, loaded as an ES module. */
    public static final String DATASTAR_CDN =
            "https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/bundles/datastar.js";
    /** The Subresource Integrity value of the 1.0.1 bundle at {@link #DATASTAR_CDN}. */
    public static final String DATASTAR_1_0_1_INTEGRITY =
            "sha384-ONnEvIy1S4dD1gAfthO8ImbkzWZeX5ZX5oFV0nLwc4dzs72jN43qx5oki21N+P7v";

    private static final PageOptions DEFAULTS = builder().build();

    private final String datastarSrc;
    private final String integrity;
    private final String crossorigin;
    private final String nonce;
    private final String lang;
    private final Content head;

    private PageOptions(Builder b) {
        this.datastarSrc = b.datastarSrc;
        this.integrity = b.integrity;
        this.crossorigin = b.crossorigin;
        this.nonce = b.nonce;
        this.lang = b.lang;
        this.head = b.head;
    }

    /** The CDN client, no integrity, no nonce, {@code lang="en"}. */
    public static PageOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.datastarSrc = datastarSrc;
        b.integrity = integrity;
        b.crossorigin = crossorigin;
        b.nonce = nonce;
        b.lang = lang;
        b.head = head;
        return b;
    }

    /** A copy whose script tags carry {@code nonce} (per request, matching the CSP header); null removes it. */
    public PageOptions withNonce(String nonce) {
        return toBuilder().nonce(nonce).build();
    }

    /** The URL of the Datastar client script. */
    public String datastarSrc() {
        return datastarSrc;
    }

    /** The {@code integrity} attribute, or null when not pinned. */
    public String integrity() {
        return integrity;
    }

    /** The {@code crossorigin} attribute, or null. */
    public String crossorigin() {
        return crossorigin;
    }

    /** The CSP nonce put on every script tag of the layout, or null. */
    public String nonce() {
        return nonce;
    }

    /** The {@code lang} attribute of {@code <html>}. */
    public String lang() {
        return lang;
    }

    /** Extra markup for {@code <head>} (stylesheets, meta tags), or null. */
    public Content head() {
        return head;
    }

    /** Builds {@link PageOptions}; every setting starts at its default. */
    public static final class Builder {
        private String datastarSrc = DATASTAR_CDN;
        private String integrity;
        private String crossorigin;
        private String nonce;
        private String lang = "en";
        private Content head;

        private Builder() {
        }

        /** Loads the client from another URL, e.g. a self-hosted copy {@code "/static/datastar.js"}. */
        public Builder datastarSrc(String src) {
            this.datastarSrc = requireText("datastarSrc", src);
            return this;
        }

        /**
         * Sets the Subresource Integrity value, e.g. {@link #DATASTAR_1_0_1_INTEGRITY}. Also sets
         * {@code crossorigin="anonymous"} unless one was chosen, since SRI on a cross-origin script needs CORS.
         * Null removes it.
         */
        public Builder integrity(String integrity) {
            this.integrity = integrity == null ? null : requireText("integrity", integrity);
            if (integrity != null && crossorigin == null) {
                crossorigin = "anonymous";
            }
            return this;
        }

        /** The {@code crossorigin} attribute ({@code anonymous} or {@code use-credentials}); null removes it. */
        public Builder crossorigin(String crossorigin) {
            if (crossorigin != null && !crossorigin.equals("anonymous") && !crossorigin.equals("use-credentials")) {
                throw new IllegalArgumentException(
                        "crossorigin must be 'anonymous' or 'use-credentials', was '" + crossorigin + "'");
            }
            this.crossorigin = crossorigin;
            return this;
        }

        /** The CSP nonce for the layout's script tags; null removes it. */
        public Builder nonce(String nonce) {
            this.nonce = nonce == null ? null : requireText("nonce", nonce);
            return this;
        }

        /** The page language, {@code "en"} by default. */
        public Builder lang(String lang) {
            this.lang = requireText("lang", lang);
            return this;
        }

        /** Extra markup rendered at the end of {@code <head>}; null removes it. */
        public Builder head(Content head) {
            this.head = head;
            return this;
        }

        /** The immutable options. */
        public PageOptions build() {
            return new PageOptions(this);
        }

        private static String requireText(String what, String value) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
