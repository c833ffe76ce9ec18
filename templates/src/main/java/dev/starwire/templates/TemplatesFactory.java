package dev.starwire.templates;

import dev.starwire.DevMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how templates are rendered: the classes precompiled at build time (production), or the
 * {@code .jte} sources, recompiled when they change (dev mode, {@code STARWIRE_DEV=true}).
 *
 * <pre>{@code
 * Templates templates = TemplatesFactory.create();
 * stream.send(PatchElements.of(templates.demoClock(LocalTime.now())));
 * }</pre>
 *
 * <p>Dev mode needs the jte compiler ({@code gg.jte:jte}) on the runtime classpath and a JDK (it runs
 * javac); production needs neither. The source directory is {@code starwire.templates.dir} (system
 * property) or {@code STARWIRE_TEMPLATES_DIR} (environment) when set, else the first of
 * {@code templates/src/main/jte} and {@code ../templates/src/main/jte} that exists, relative to the working
 * directory.
 */
public final class TemplatesFactory {
    /** System property naming the {@code .jte} source directory for dev mode. */
    public static final String DIR_PROPERTY = "starwire.templates.dir";
    /** Environment variable naming the {@code .jte} source directory for dev mode. */
    public static final String DIR_ENV = "STARWIRE_TEMPLATES_DIR";

    private static final Logger LOG = LoggerFactory.getLogger(TemplatesFactory.class);
    private static final String[] CANDIDATES = {"templates/src/main/jte", "../templates/src/main/jte"};

    private TemplatesFactory() {
    }

    /** {@link #hotReload(Path)} on the source directory in dev mode, {@link #precompiled()} otherwise. */
    public static Templates create() {
        return DevMode.enabled() ? hotReload(sourceDirectory()) : precompiled();
    }

    /** The templates compiled by the build; no jte compiler needed. */
    public static Templates precompiled() {
        return new StaticTemplates();
    }

    /**
     * Templates loaded from {@code jteSourceDir} and recompiled on the next render after a file changes.
     *
     * @throws IllegalStateException when the directory does not exist or {@code gg.jte:jte} is missing
     */
    public static Templates hotReload(Path jteSourceDir) {
        if (!Files.isDirectory(jteSourceDir)) {
            throw new IllegalStateException("jte source directory not found: " + jteSourceDir.toAbsolutePath()
                    + " (set -D" + DIR_PROPERTY + "=... or " + DIR_ENV + ")");
        }
        if (!compilerPresent()) {
            throw new IllegalStateException("dev mode loads templates from source and needs the jte compiler: "
                    + "add the dependency gg.jte:jte to your application (or run without " + DevMode.ENV + ")");
        }
        LOG.info("dev mode: templates are compiled from {} and reloaded when they change",
                jteSourceDir.toAbsolutePath());
        return HotReload.templates(jteSourceDir);
    }

    /** The dev-mode source directory as configured or found; see the class comment. */
    static Path sourceDirectory() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(DIR_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        for (String candidate : CANDIDATES) {
            Path p = Paths.get(candidate);
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return Paths.get(CANDIDATES[0]);
    }

    private static boolean compilerPresent() {
        try {
            Class.forName("gg.jte.resolve.DirectoryCodeResolver", false, TemplatesFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
