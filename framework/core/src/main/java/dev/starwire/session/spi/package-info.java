/**
 * The session storage SPI: what a storage that shares browser sessions between instances implements (Redis:
 * {@code RedisSessionStorage}). A session registry calls {@link dev.starwire.session.spi.SessionStorage}; each
 * session it holds is a {@link dev.starwire.session.spi.StoredSession} whose signals a replica store keeps in
 * step through {@link dev.starwire.session.spi.SharedSignals}, exchanging {@link dev.starwire.session.spi.SignalChange}s
 * and {@link dev.starwire.session.spi.CatchUp}s. Application code only passes a storage to its session registry.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder().storage(RedisSessionStorage.fromUrl(redisUrl)).build();
 * }</pre>
 *
 * <p>Thread-safety: implementations are called from many threads at once and must be thread-safe; they never
 * hold a lock while waiting for the network. Records here are immutable (their trees are treated as read-only).
 */
package dev.starwire.session.spi;
