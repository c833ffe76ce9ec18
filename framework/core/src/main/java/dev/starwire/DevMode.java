package dev.starwire;

import java.util.Locale;

/**
 * The development switch: {@code STARWIRE_DEV=true} in the environment, or {@code -Dstarwire.dev=true}
 * (the system property wins). Dev mode turns on checks that cost time (see {@link FragmentCheck}) and lets
 * the templates module load {@code .jte} files from source with hot reload.
 *
 * <pre>{@code
 * if (DevMode.enabled()) {
 *     log.info("dev mode: templates reload from src/main/jte");
 * }
 * }</pre>
 */
public final class DevMode {
    /** The environment variable that enables dev mode. */
    public static final String ENV = "STARWIRE_DEV";
    /** The system property that enables dev mode; wins over {@link #ENV}. */
    public static final String PROPERTY = "starwire.dev";
    /** The system property that forces fragment checks on or off, whatever the mode. */
    public static final String FRAGMENT_CHECKS_PROPERTY = "starwire.fragmentChecks";

    private static final boolean UNDER_JUNIT = onClasspath("org.junit.platform.launcher.Launcher");

    private DevMode() {
    }

    /** Whether dev mode is on: {@code starwire.dev} if set, else {@code STARWIRE_DEV}; "true" or "1" mean on. */
    public static boolean enabled() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            value = System.getenv(ENV);
        }
        return isTrue(value);
    }

    /**
     * Whether {@link FragmentCheck#checkIfEnabled} checks fragments: {@code starwire.fragmentChecks} if set,
     * else on in dev mode and when the JUnit Platform launcher is on the classpath (tests), off otherwise.
     */
    public static boolean fragmentChecks() {
        String forced = System.getProperty(FRAGMENT_CHECKS_PROPERTY);
        if (forced != null) {
            return isTrue(forced);
        }
        return UNDER_JUNIT || enabled();
    }

    private static boolean isTrue(String value) {
        if (value == null) {
            return false;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("true") || v.equals("1");
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, DevMode.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
