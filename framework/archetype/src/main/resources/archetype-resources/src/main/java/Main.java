package ${package};

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the app: {@code PORT} (default 8080) and {@code HOST} (default 127.0.0.1) from the environment;
 * {@code STARWIRE_DEV=true} reloads the templates from src/main/jte when they change.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        String host = env("HOST", "127.0.0.1");
        int port = port(env("PORT", "8080"));
        App app = App.create().start(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        LOG.info("running at http://{}:{}/ (Ctrl+C stops it)", host, app.port());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("PORT must be a number from 0 to 65535, was '" + value + "'");
    }
}
