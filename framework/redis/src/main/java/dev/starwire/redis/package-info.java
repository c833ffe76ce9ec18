/**
 * Starwire on Redis, for several instances behind a load balancer: {@link dev.starwire.redis.RedisTopicBackend}
 * shares the hub's topics (Redis Streams, replay on any instance) and {@link dev.starwire.redis.RedisSessionStorage}
 * shares browser sessions. Both fail fast while Redis is away and recover by themselves; see
 * {@code docs/scaling.md}.
 *
 * <pre>{@code
 * Hub hub = Hub.builder().backend(RedisTopicBackend.fromUrl("redis://127.0.0.1:6379")).build();
 * Sessions sessions = Sessions.builder().storage(RedisSessionStorage.fromUrl("redis://127.0.0.1:6379")).build();
 * }</pre>
 *
 * <p>Thread-safety: both are thread-safe; callbacks run on their own small thread pools, never on Lettuce's I/O
 * threads.
 */
package dev.starwire.redis;
