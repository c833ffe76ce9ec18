/**
 * Not API: internals of the core shared by its packages (the one Jackson configuration). The module does not
 * export this package; code outside the core must not use it, on the class path either.
 *
 * <p>Thread-safety: everything here is configured once and thread-safe.
 */
package dev.starwire.internal;
