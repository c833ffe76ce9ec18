/**
 * Not API: the bridge that lets {@code Outbox.open} create the hub's package-private outboxes. The module does not
 * export this package.
 *
 * <p>Thread-safety: set once while the hub class initialises, read-only afterwards.
 */
package dev.starwire.hub.internal;
