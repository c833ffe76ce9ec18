/**
 * Not API: the layout's templates, precompiled by jte at build time (their classes, the jte-models facade
 * {@code LayoutTemplates} and the {@code .bin} static parts are generated here). Use them through
 * {@link dev.starwire.templates.Layout}. The module does not export this package; it opens it to jte's runtime,
 * which loads the static parts.
 *
 * <p>Thread-safety: generated templates are stateless.
 */
package dev.starwire.templates.internal;
