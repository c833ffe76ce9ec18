package dev.starwire.templates;

import dev.starwire.DevMode;
import gg.jte.TemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how the templates of a jte-models facade are rendered: by the classes the build precompiled
 * (production), or from the {@code .jte} sources, recompiled when a file changes (dev mode,
 * {@code STARWIRE_DEV=true}). Works for any facade: jte-models generates, for the {@code interfaceName}
 * {@code Templates}, the interface {@code Templates} and its implementations {@code StaticTemplates}
 * (precompiled) and {@code DynamicTemplates} (from source); pass the latter two.
 *
 * <pre>{@code
 * Templates templates = TemplatesFactory.create(StaticTemplates::new, DynamicTemplates::new);
 * stream.send(PatchElements.of(templates.clock(LocalTime.now())));
 * }</pre>
 *
 * <p>Dev mode needs the jte compiler ({@code gg.jte:jte}) on the runtime classpath and a JDK (it runs
 * javac); production needs neither. The source directory is {@code starwire.templates.dir} (system
 * property) or {@code STARWIRE_TEMPLATES_DIR} (environment) when set, else {@code src/main/jte} relative to
 * the working directory: start the app from its project folder. The sources are compiled with the settings
 * of Starwire's build and its archetype: {@code ContentType.Html} and {@code trimControlStructures}.
 */
public final class TemplatesFactory {
    /** System property naming the {@code .jte} source directory for dev mode. */
    public static final String DIR_PROPERTY = "starwire.templates.dir";
    /** Environment variable naming the {@code .jte} source directory for dev mode. */
    public static final String DIR_ENV = "STARWIRE_TEMPLATES_DIR";
    /** The dev-mode source directory when none is configured, relative to the working directory. */
    public static final String DEFAULT_DIR = "src/main/jte";

    private static final Logger LOG = LoggerFactory.getLogger(TemplatesFactory.class);

    private TemplatesFactory() {
    }

    /**
     * In dev mode {@link #hotReload(Path, Function)} on the source directory (see the class comment),
     * otherwise the precompiled facade.
     *
     * @param precompiled makes the precompiled facade, e.g. {@code StaticTemplates::new}
     * @param fromSource  makes the facade on a template engine, e.g. {@code DynamicTemplates::new}
     * @param <T>         the facade interface
     * @return the facade to render with
     * @throws IllegalStateException in dev mode, when the source directory or the jte compiler is missing
     */
    public static <T> T create(Supplier<? extends T> precompiled, Function<TemplateEngine, ? extends T> fromSource) {
        Objects.requireNonNull(precompiled, "precompiled");
        Objects.requireNonNull(fromSource, "fromSource");
        return DevMode.enabled() ? hotReload(sourceDirectory(), fromSource) : precompiled.get();
    }

    /**
     * A facade rendering the templates of {@code jteSourceDir}, each compiled on first use and recompiled on
     * the next render after its file (or a template it calls) changed. Compiled classes go to a temporary
     * directory that is deleted when the JVM exits.
     *
     * @param jteSourceDir the folder holding the {@code .jte} files, e.g. {@code src/main/jte}
     * @param fromSource   makes the facade on a template engine, e.g. {@code DynamicTemplates::new}
     * @param <T>          the facade interface
     * @return the facade to render with
     * @throws IllegalStateException when the directory does not exist or {@code gg.jte:jte} is missing
     */
    public static <T> T hotReload(Path jteSourceDir, Function<TemplateEngine, ? extends T> fromSource) {
        Objects.requireNonNull(fromSource, "fromSource");
        if (!Files.isDirectory(jteSourceDir)) {
            throw new IllegalStateException("jte source directory not found: " + jteSourceDir.toAbsolutePath()
                    + " (start the app from its project folder, or set -D" + DIR_PROPERTY + "=... or " + DIR_ENV
                    + ")");
        }
        if (!compilerPresent()) {
            throw new IllegalStateException("dev mode loads templates from source and needs the jte compiler: "
                    + "add the dependency gg.jte:jte to your application (or run without " + DevMode.ENV + ")");
        }
        LOG.info("dev mode: templates are compiled from {} and reloaded when they change",
                jteSourceDir.toAbsolutePath());
        return fromSource.apply(HotReload.engine(jteSourceDir, classLoader()));
    }

    /** The dev-mode source directory as configured, else {@link #DEFAULT_DIR}. */
    static Path sourceDirectory() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(DIR_ENV);
        }
        return Paths.get(configured != null && !configured.isBlank() ? configured.trim() : DEFAULT_DIR);
    }

    /** The app's class loader: the compiled templates must see the app's classes and Starwire's. */
    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : TemplatesFactory.class.getClassLoader();
    }

    private static boolean compilerPresent() {
        try {
            Class.forName("gg.jte.resolve.DirectoryCodeResolver", false, classLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
