package dev.starwire.demo;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the demo: {@code PORT} (default 7070) and {@code HOST} (default 127.0.0.1) from the environment, and
 * {@code REDIS_URL} (optional) to share the chat and the browser sessions between instances, and
 * {@code TRIM_NATIVE_HEAP_SECONDS} (default 5; 0 turns it off): how often the JVM is asked to give the native
 * memory it freed back to the operating system (see {@link NativeHeapTrim}).
 *
 * <pre>{@code
 * PORT=8080 HOST=0.0.0.0 java -jar demo-app/target/demo-app.jar
 * REDIS_URL=redis://127.0.0.1:6379 java -jar demo-app/target/demo-app.jar
 * }</pre>
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /** Starts the demo and keeps it running until the process is stopped. */
    public static void main(String[] args) {
        int port = number("PORT", 7070, 65535);
        String host = env("HOST", "127.0.0.1");
        // With REDIS_URL the chat and the sessions live in Redis: live messages reach the clients of every
        // instance, reconnecting browsers replay from Redis, the history survives restarts, and any instance
        // serves any session (pause the clock on one, the other's stream stops); without it all stays here.
        String redisUrl = env("REDIS_URL", null);
        Duration trimInterval = Duration.ofSeconds(number("TRIM_NATIVE_HEAP_SECONDS", 5, 86_400));
        DemoApp app = (redisUrl == null ? DemoApp.create() : DemoApp.withRedis(redisUrl)).start(host, port);
        NativeHeapTrim trim = NativeHeapTrim.start(trimInterval);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            trim.close();
            app.close();
        }, "demo-shutdown"));
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        if (shown.contains(":")) {
            shown = "[" + shown + "]";
        }
        LOG.info("Starwire demo running at http://{}:{}/  (clock: /clock, chat: /chat; Ctrl+C stops it)",
                shown, app.port());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The whole number in environment variable {@code name}, from 0 to {@code max}; {@code fallback} when unset. */
    private static int number(String name, int fallback, int max) {
        String value = env(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number < 0 || number > max) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number from 0 to " + max + ", was '" + value + "'");
        }
    }
}
