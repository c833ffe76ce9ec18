/**
 * Starwire's page layout and Datastar script tag for an app's own jte templates ({@link
 * dev.starwire.templates.Layout}, {@link dev.starwire.templates.PageOptions}), precompiled, and the choice between
 * precompiled templates and dev-mode hot reload for any jte-models facade
 * ({@link dev.starwire.templates.TemplatesFactory}).
 *
 * <pre>{@code
 * Templates templates = TemplatesFactory.create(StaticTemplates::new, DynamicTemplates::new);
 * ctx.html(Layout.page(PageOptions.defaults(), "Chat", templates.chat(history)).render());
 * }</pre>
 *
 * <p>Thread-safety: {@code PageOptions} is immutable; the layout and the facades it returns are stateless and may
 * be used by any threads.
 */
package dev.starwire.templates;
