package dev.starwire.templates;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.resolve.DirectoryCodeResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The dev-mode engine, kept apart so that the jte compiler classes it names are only loaded in dev mode.
 */
final class HotReload {
    private HotReload() {
    }

    static TemplateEngine engine(Path jteSourceDir, ClassLoader classLoader) {
        Path classes;
        try {
            classes = Files.createTempDirectory("starwire-jte-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for compiled templates", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(classes), "starwire-jte-cleanup"));
        TemplateEngine engine = TemplateEngine.create(new DirectoryCodeResolver(jteSourceDir), classes,
                ContentType.Html, classLoader);
        engine.setTrimControlStructures(true); // as the build's jte-maven-plugin (root pom.xml)
        return engine;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temp directory is harmless
        }
    }
}
