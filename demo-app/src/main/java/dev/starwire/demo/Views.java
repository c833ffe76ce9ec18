package dev.starwire.demo;

import dev.starwire.demo.templates.DynamicTemplates;
import dev.starwire.demo.templates.StaticTemplates;
import dev.starwire.demo.templates.Templates;
import dev.starwire.templates.Layout;
import dev.starwire.templates.PageOptions;
import dev.starwire.templates.TemplatesFactory;
import gg.jte.Content;
import io.javalin.http.Context;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Renders the demo's jte components (demo-app/src/main/jte) through their typed {@link Templates} facade:
 * precompiled, or reloaded from source in dev mode ({@code STARWIRE_DEV=true}); pages use Starwire's layout.
 */
final class Views {
    static final String STYLESHEET = "/static/demo.css";

    private final Templates templates = TemplatesFactory.create(StaticTemplates::new, DynamicTemplates::new);
    /** The CDN client pinned with Subresource Integrity, and the demo's stylesheet. */
    private final PageOptions base = PageOptions.builder()
            .integrity(PageOptions.DATASTAR_1_0_1_INTEGRITY)
            .head(templates.head(STYLESHEET))
            .build();
    private final DateTimeFormatter hm;

    Views(ZoneId zone) {
        this.hm = DateTimeFormatter.ofPattern("HH:mm").withZone(zone);
    }

    /** Answers with a whole page: the shared layout around {@code body}, with this request's CSP nonce. */
    void page(Context ctx, Lang lang, String titleKey, Content body) {
        PageOptions options = base.toBuilder().lang(lang.tag()).nonce(Csp.nonce(ctx)).build();
        String title = lang.text(titleKey) + " · " + lang.text("site.name");
        ctx.contentType("text/html; charset=utf-8").result(Layout.page(options, title, body).render());
    }

    Content index(Lang lang) {
        return templates.index(lang.texts(), lang.tag());
    }

    /** The clock page's body; {@code running} is the session's server-owned value. */
    Content clock(Lang lang, boolean running) {
        return templates.clock(lang.texts(), lang.tag(), running);
    }

    /** The {@code #clock-error} element; an empty message hides it. */
    Content clockError(String message) {
        return templates.clockError(message);
    }

    Content chat(Lang lang) {
        return templates.chat(lang.texts(), lang.tag());
    }

    /** One chat bubble; the welcome message speaks the reader's language. */
    Content message(ChatMessage m, Lang lang) {
        String author = m.welcome() ? lang.text("chat.welcome.author") : m.author();
        String text = m.welcome() ? lang.text("chat.welcome.text") : m.text();
        return templates.chatMessage(m.id(), author, text, hm.format(m.at()));
    }

    /** The children of {@code #messages}. */
    Content history(List<ChatMessage> messages, Lang lang) {
        return templates.chatHistory(messages.stream().map(m -> message(m, lang)).toList());
    }

    /** The {@code #chat-error} element; an empty message hides it. */
    Content chatError(String message) {
        return templates.chatError(message);
    }
}
