package dev.starwire.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Lua scripts behind {@link RedisSessionStorage}. Each runs atomically in Redis, which is what makes a
 * session change safe across instances: the version check, the write, the change log and the fan-out to the
 * instances holding the session happen as one step, in one round trip, with no lock anywhere.
 *
 * <p>Keys of session {@code S} under prefix {@code P}: {@code P s:S} (hash: {@code v} = version,
 * {@code m:<name>} = JSON of each top-level signal), {@code P s:S:log} (list: the last changes, consecutive
 * versions ending at {@code v}), {@code P s:S:at} (set: ids of the instances holding a replica),
 * {@code P all} (sorted set: session ids by last use, for the bound on their number). Per instance {@code I}:
 * {@code P i:I} (alive while it refreshes it) and {@code P in:I} (stream: its inbox of changes).
 *
 * <p>Every script gets the same first arguments: {@code KEYS = [hash, log, holders, all]},
 * {@code ARGV = [session id, idle ms, instance id, prefix, inbox length, inbox ttl ms, log length,
 * largest logged change, ...]}.
 */
final class SessionScripts {

    private static final String PRELUDE = """
            local id, ttl, me, prefix = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
            local function now_ms()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local function touch()
              redis.call('PEXPIRE', KEYS[1], ttl)
              redis.call('PEXPIRE', KEYS[2], ttl)
              redis.call('PEXPIRE', KEYS[3], ttl)
              redis.call('ZADD', KEYS[4], 'XX', now_ms(), id)
            end
            -- Appends payload to the inbox of every live instance holding the session; forgets dead ones.
            local function fanout(holders, sid, payload)
              for _, inst in ipairs(redis.call('SMEMBERS', holders)) do
                if redis.call('EXISTS', prefix .. 'i:' .. inst) == 1 then
                  local inbox = prefix .. 'in:' .. inst
                  redis.call('XADD', inbox, 'MAXLEN', '~', ARGV[5], '*', 'f', sid .. ' ' .. payload)
                  redis.call('PEXPIRE', inbox, ARGV[6])
                else
                  redis.call('SREM', holders, inst)
                end
              end
            end
            """;

    /** ARGV[9] = most sessions. 1 when created, 0 when the id is taken. Ends the least recently used if full. */
    static final SessionScripts CREATE = new SessionScripts(ScriptOutputType.INTEGER, """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            local now = now_ms()
            redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - ttl)
            local excess = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[9]) + 1
            if excess > 0 then
              local oldest = redis.call('ZPOPMIN', KEYS[4], excess)
              for i = 1, #oldest, 2 do
                local base = prefix .. 's:' .. oldest[i]
                fanout(base .. ':at', oldest[i], 'end')
                redis.call('DEL', base, base .. ':log', base .. ':at')
              end
            end
            redis.call('HSET', KEYS[1], 'v', 0)
            redis.call('SADD', KEYS[3], me)
            redis.call('ZADD', KEYS[4], now, id)
            touch()
            return 1
            """);

    /**
     * ARGV[9] = the caller's version, -1 for the whole state. Registers the caller as a holder and refreshes
     * the expiry. Answers {0} gone, {1, v} up to date, {2, v, changes} the missed changes, or
     * {3, v, hash fields, reset} the whole state (reset = 1 when it is older than the caller's version).
     */
    static final SessionScripts CATCH_UP = new SessionScripts(ScriptOutputType.MULTI, """
            local v = redis.call('HGET', KEYS[1], 'v')
            if not v then return {0} end
            redis.call('SADD', KEYS[3], me)
            touch()
            v = tonumber(v)
            local known = tonumber(ARGV[9])
            if known == v then return {1, v} end
            if known >= 0 and known < v then
              local need = v - known
              if redis.call('LLEN', KEYS[2]) >= need then
                return {2, v, redis.call('LRANGE', KEYS[2], -need, -1)}
              end
            end
            return {3, v, redis.call('HGETALL', KEYS[1]), known > v and 1 or 0}
            """);

    /**
     * ARGV[9] = base version, ARGV[10] = the change as JSON, then pairs (field, JSON or '' to delete).
     * 1 stored, 0 conflict (the version moved on), -1 gone.
     */
    static final SessionScripts COMMIT = new SessionScripts(ScriptOutputType.INTEGER, """
            local v = redis.call('HGET', KEYS[1], 'v')
            if not v then return -1 end
            if tonumber(v) ~= tonumber(ARGV[9]) then return 0 end
            for i = 11, #ARGV, 2 do
              if ARGV[i + 1] == '' then
                redis.call('HDEL', KEYS[1], ARGV[i])
              else
                redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
              end
            end
            redis.call('HINCRBY', KEYS[1], 'v', 1)
            if string.len(ARGV[10]) <= tonumber(ARGV[8]) then
              redis.call('RPUSH', KEYS[2], ARGV[10])
              redis.call('LTRIM', KEYS[2], -tonumber(ARGV[7]), -1)
            else
              -- too large to keep: the log restarts after it, still consecutive (catch-ups fall back to state)
              redis.call('DEL', KEYS[2])
            end
            redis.call('SADD', KEYS[3], me)
            touch()
            fanout(KEYS[3], id, ARGV[10])
            return 1
            """);

    /** Ends the session on every instance holding it and deletes it. */
    static final SessionScripts DELETE = new SessionScripts(ScriptOutputType.INTEGER, """
            fanout(KEYS[3], id, 'end')
            redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
            redis.call('ZREM', KEYS[4], id)
            return 1
            """);

    /** Refreshes the expiry; 0 when the session is gone. */
    static final SessionScripts TOUCH = new SessionScripts(ScriptOutputType.INTEGER, """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            touch()
            return 1
            """);

    private final ScriptOutputType output;
    private final String text;
    private final String sha;

    private SessionScripts(ScriptOutputType output, String body) {
        this.output = output;
        this.text = PRELUDE + body;
        this.sha = sha1(text);
    }

    /** Runs the script by its digest, sending its text only when Redis does not have it (e.g. after a restart). */
    <T> T run(RedisCommands<String, String> redis, String[] keys, String[] args) {
        try {
            return redis.evalsha(sha, output, keys, args);
        } catch (RedisNoScriptException notLoaded) {
            return redis.eval(text, output, keys, args);
        }
    }

    /** As {@link #run}, without waiting. */
    <T> CompletionStage<T> runAsync(RedisAsyncCommands<String, String> redis, String[] keys, String[] args) {
        CompletableFuture<T> byDigest = redis.<T>evalsha(sha, output, keys, args).toCompletableFuture();
        return byDigest.handle((result, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                return redis.<T>eval(text, output, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
