/**
 * Starwire on Redis: a hub backend on Redis Streams ({@code RedisTopicBackend}) and a session storage
 * ({@code RedisSessionStorage}), so several instances share topics and sessions. Lettuce is used inside
 * only; no Lettuce type is part of the API.
 */
@SuppressWarnings("requires-automatic") // Lettuce has no module descriptor, only the stable name lettuce.core
module dev.starwire.redis {
    requires transitive dev.starwire.core;
    requires lettuce.core;
    requires org.slf4j;

    exports dev.starwire.redis;
}
