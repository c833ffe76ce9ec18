package dev.starwire.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat history in Redis, shared by every instance and kept across restarts: a list of JSON messages
 * trimmed to the last {@link #LIMIT}, ids from a counter, seeded once with the welcome message.
 */
final class RedisHistory implements ChatHistory {
    private static final Logger LOG = LoggerFactory.getLogger(RedisHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "starwire:demo:chat:";
    private static final String LIST = PREFIX + "history";
    private static final String SEQUENCE = PREFIX + "seq";
    private static final String SEEDED = PREFIX + "seeded";

    private final Clock clock;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;

    RedisHistory(String redisUrl, Clock clock) {
        this.clock = clock;
        RedisURI uri = RedisURI.create(redisUrl);
        uri.setTimeout(Duration.ofSeconds(5)); // a request waits at most this long for Redis, not a minute
        this.client = RedisClient.create(uri);
        try {
            this.connection = client.connect();
        } catch (RuntimeException e) {
            client.shutdown();
            throw new IllegalStateException("Cannot connect to Redis for the chat history: " + e.getMessage(), e);
        }
        this.redis = connection.sync();
        // The first instance ever to start seeds the welcome message; later ones and restarts find it.
        if ("OK".equals(redis.set(SEEDED, "1", SetArgs.Builder.nx()))) {
            push(new ChatMessage(redis.incr(SEQUENCE), "", "", clock.instant(), true));
        }
    }

    @Override
    public ChatMessage add(String author, String text) {
        ChatMessage m = new ChatMessage(redis.incr(SEQUENCE), author, text, clock.instant(), false);
        push(m);
        return m;
    }

    private void push(ChatMessage m) {
        redis.rpush(LIST, write(m));
        redis.ltrim(LIST, -LIMIT, -1);
    }

    @Override
    public List<ChatMessage> recent() {
        List<ChatMessage> out = new ArrayList<>();
        for (String json : redis.lrange(LIST, 0, -1)) {
            try {
                out.add(JSON.readValue(json, Stored.class).message());
            } catch (JsonProcessingException e) {
                LOG.warn("skipping an unreadable chat history entry: {}", e.getOriginalMessage());
            }
        }
        return out;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    private static String write(ChatMessage m) {
        try {
            return JSON.writeValueAsString(
                    new Stored(m.id(), m.author(), m.text(), m.at().toEpochMilli(), m.welcome()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // plain strings and numbers always serialise
        }
    }

    /** The JSON form of a message in the Redis list. */
    record Stored(long id, String author, String text, long at, boolean welcome) {
        ChatMessage message() {
            return new ChatMessage(id, author, text, Instant.ofEpochMilli(at), welcome);
        }
    }
}
