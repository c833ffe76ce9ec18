package dev.starwire.demo;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The two languages of the demo's texts: Indonesian (the tutorial's audience, and the default) and English.
 *
 * <pre>{@code
 * Lang lang = Lang.choose(ctx.queryParam("lang"), ctx.header("Accept-Language"));
 * String title = lang.text("clock.title");
 * }</pre>
 */
public enum Lang {
    /** Bahasa Indonesia. */
    ID("id"),
    /** English. */
    EN("en");

    private static final String BUNDLE = "demo.messages";

    private final String tag;
    private final ResourceBundle texts;

    Lang(String tag) {
        this.tag = tag;
        this.texts = ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(tag),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /**
     * Picks the language: an explicit {@code ?lang=en|id} wins, then the best of the browser's
     * {@code Accept-Language} list, then Indonesian.
     */
    public static Lang choose(String queryLang, String acceptLanguage) {
        Lang explicit = byTag(queryLang);
        if (explicit != null) {
            return explicit;
        }
        if (acceptLanguage != null && !acceptLanguage.isBlank()) {
            try {
                // Ranges come back sorted by weight; the first one naming one of ours wins.
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                    String primary = range.getRange().split("-", 2)[0];
                    Lang match = byTag(primary);
                    if (match != null && range.getWeight() > 0) {
                        return match;
                    }
                }
            } catch (IllegalArgumentException malformed) {
                // A broken header is not worth an error page: fall through to the default.
            }
        }
        return ID;
    }

    private static Lang byTag(String tag) {
        if (tag == null) {
            return null;
        }
        for (Lang lang : values()) {
            if (lang.tag.equalsIgnoreCase(tag.trim())) {
                return lang;
            }
        }
        return null;
    }

    /** The BCP 47 tag, for {@code <html lang>} and {@code ?lang=}. */
    public String tag() {
        return tag;
    }

    /** All texts of this language, as handed to the templates. */
    public ResourceBundle texts() {
        return texts;
    }

    /** One text by key. */
    public String text(String key) {
        return texts.getString(key);
    }

    /** One text by key with its {@code {0}} placeholders filled in. */
    public String format(String key, Object... args) {
        return new MessageFormat(texts.getString(key), Locale.forLanguageTag(tag)).format(args);
    }

    /** Every language, in the order the language switch lists them. */
    public static List<Lang> all() {
        return List.of(values());
    }
}
