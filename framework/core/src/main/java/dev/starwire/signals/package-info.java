/**
 * Per-session signals on the server: the {@link dev.starwire.signals.SignalStore} mirrors a session's signals and
 * sends every change as one minimal {@code datastar-patch-signals} event; {@link dev.starwire.signals.SignalOwnership}
 * says which signals a request may change; {@link dev.starwire.signals.JsonMergePatch} is the RFC 7386 merge
 * patch both use.
 *
 * <pre>{@code
 * SignalStore store = new SignalStore(SignalStore.DEFAULT_MAX_SIZE, SignalOwnership.serverOwned("running"));
 * SignalSubscription sub = store.onPatchWithState(stream::send);
 * store.update(s -> s.set("count", s.get("count", Integer.class, 0) + 1));
 * }</pre>
 *
 * <p>Thread-safety: a store is thread-safe and applies changes one at a time (see its class comment for the
 * ordering guarantees); {@code SignalOwnership} and {@code JsonMergePatch} are immutable / stateless.
 */
package dev.starwire.signals;
