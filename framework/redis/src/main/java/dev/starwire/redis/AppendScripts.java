package dev.starwire.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two Lua scripts that make an append all-or-nothing, each one atomic on the Redis server.
 *
 * <p><b>Append</b> refuses a token that was cancelled, else adds the frame to the stream ({@code XADD ... MAXLEN
 * ~}) and notes {@code "<token> <id>"} in this instance's short list of recent appends, in one step: the event
 * is stored with its note or not at all.
 *
 * <p><b>Settle</b> resolves appends whose outcome this instance could not learn (the connection broke while
 * they were in flight, or Redis did not answer in time), from those notes. An append its sender still waits
 * for is kept if it was stored (the sender then learns its id) and fenced if not, so the command is refused
 * should it still arrive. An append its sender already reported as failed is fenced and, if it was stored,
 * removed ({@code XDEL}). A failed append is thus never kept, whatever happened to it.
 */
final class AppendScripts {
    private static final Logger log = LoggerFactory.getLogger(RedisTopicBackend.class);
    /** Error prefix of an append whose token was cancelled. */
    static final String CANCELLED = "STARWIRE_CANCELLED";

    /** KEYS: stream, fence, appends list. ARGV: frame, max length, token, list length, list ttl (ms). */
    static final String APPEND = """
            if redis.call('EXISTS', KEYS[2]) == 1 then
              return redis.error_reply('%s this append was cancelled: its outcome was unknown to its sender')
            end
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', '%s', ARGV[1])
            redis.call('LPUSH', KEYS[3], ARGV[3] .. ' ' .. id)
            redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[4]) - 1)
            redis.call('PEXPIRE', KEYS[3], ARGV[5])
            return id
            """.formatted(CANCELLED, RedisTopicBackend.FRAME_FIELD);

    /** Result of {@link #SETTLE} for an append that was not stored (and is fenced now). */
    static final String NOT_STORED = "";
    /** Result of {@link #SETTLE} for a given-up append that had been stored and was removed. */
    static final String REMOVED = "x";
    /** Mode of {@link #SETTLE}: keep the append if it was stored. */
    static final String KEEP = "keep";
    /** Mode of {@link #SETTLE}: make sure the append is not stored. */
    static final String CANCEL = "cancel";

    /**
     * KEYS: stream, appends list, then one fence per token. ARGV: fence ttl (ms), the n tokens, then n modes
     * ({@link #KEEP} or {@link #CANCEL}). Returns, per token, the id of a kept entry, {@link #NOT_STORED} or
     * {@link #REMOVED}.
     */
    static final String SETTLE = """
            local n = (#ARGV - 1) / 2
            local stored = {}
            for _, note in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
              local space = string.find(note, ' ', 1, true)
              if space then
                stored[string.sub(note, 1, space - 1)] = string.sub(note, space + 1)
              end
            end
            local out = {}
            for i = 1, n do
              local id = stored[ARGV[1 + i]]
              if id and ARGV[1 + n + i] == '%s' then
                out[i] = id
              else
                redis.call('SET', KEYS[2 + i], '1', 'PX', ARGV[1])
                if id and redis.call('XDEL', KEYS[1], id) == 1 then
                  out[i] = '%s'
                else
                  out[i] = '%s'
                end
              end
            end
            return out
            """.formatted(KEEP, REMOVED, NOT_STORED);

    private static final String APPEND_SHA = sha1(APPEND);
    private static final String SETTLE_SHA = sha1(SETTLE);

    private AppendScripts() {
    }

    /** Runs the append script; completes with the new entry id. */
    static CompletableFuture<String> append(RedisAsyncCommands<String, byte[]> redis, String[] keys, byte[]... args) {
        return AppendScripts.<byte[]>run(redis, APPEND, APPEND_SHA, ScriptOutputType.VALUE, keys, args)
                .thenApply(id -> new String(id, StandardCharsets.US_ASCII));
    }

    /** Runs the settle script; completes with one result per token, in order. */
    static CompletableFuture<List<String>> settle(RedisAsyncCommands<String, byte[]> redis, String[] keys,
                                                  byte[]... args) {
        return AppendScripts.<List<Object>>run(redis, SETTLE, SETTLE_SHA, ScriptOutputType.MULTI, keys, args)
                .thenApply(values -> values.stream()
                        .map(v -> new String((byte[]) v, StandardCharsets.US_ASCII)).toList());
    }

    /**
     * Loads both scripts into the server's script cache. Call it before any append on a new connection: a
     * cache miss would make {@link #run} fall back to EVAL for that command, which is then sent after commands
     * that were pipelined behind it, and one publisher's events would no longer keep their order.
     */
    static void load(RedisCommands<String, byte[]> redis) {
        redis.scriptLoad(APPEND);
        redis.scriptLoad(SETTLE);
    }

    /** EVALSHA, and EVAL when the server does not know the script yet (a NOSCRIPT reply runs nothing). */
    private static <T> CompletableFuture<T> run(RedisAsyncCommands<String, byte[]> redis, String script, String sha,
                                                ScriptOutputType type, String[] keys, byte[]... args) {
        CompletableFuture<T> first = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return first.handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(value);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                log.warn("Redis lost its script cache (SCRIPT FLUSH?); running the script with EVAL, which may reorder"
                        + " appends already in flight");
                return redis.<T>eval(script, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
