package dev.starwire.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce clients of one topic backend or session storage, set up the same way for both: small shared
 * thread pools, reconnects with exponential backoff up to {@code maxReconnectDelay}, TCP keepalive, and
 * <ul>
 *   <li>a command client that reconnects by itself and, while disconnected, rejects commands at once instead
 *       of buffering them for an unknown time (this also fails, rather than re-sends, a command in flight when
 *       the connection breaks, so a write of unknown outcome is never sent twice);</li>
 *   <li>a reader client whose blocking reads outlive their block time, and which does not reconnect by itself:
 *       a {@link TopicReader} reconnects to resume after the last id it delivered.</li>
 * </ul>
 */
final class RedisConnections {
    /** Keys as text, values as bytes (SSE frames, session entries). */
    static final RedisCodec<String, byte[]> BYTES = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    /** {@code host:port/db}, for messages and logs (never the password). */
    final String where;
    final RedisClient commands;
    final RedisClient readers;
    /** Where readers connect: the command timeout plus the block time, so a blocking read is not cut short. */
    final RedisURI readerUri;
    private final ClientResources resources;

    RedisConnections(ConnectionOptions<?> options) {
        RedisURI uri = RedisURI.create(options.url);
        this.where = uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
        uri.setTimeout(options.commandTimeout);
        this.readerUri = RedisURI.create(options.url);
        readerUri.setTimeout(options.readerBlock.plus(options.commandTimeout));
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), options.maxReconnectDelay, 2,
                        TimeUnit.MILLISECONDS))
                .build();
        SocketOptions socket = SocketOptions.builder()
                .connectTimeout(options.commandTimeout)
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable()
                        .idle(Duration.ofSeconds(15)).interval(Duration.ofSeconds(5)).count(3).build())
                .build();
        this.commands = RedisClient.create(resources, uri);
        commands.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled())
                .socketOptions(socket)
                .build());
        this.readers = RedisClient.create(resources);
        readers.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .timeoutOptions(TimeoutOptions.enabled())
                .socketOptions(socket)
                .build());
    }

    /** Closes both clients and their threads (waits at most a few seconds). */
    void shutdown() {
        readers.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        commands.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** Daemon threads named {@code name}. */
    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** A random name for this instance in keys and tokens (16 hex digits), new for every backend or storage. */
    static String newInstanceName() {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
