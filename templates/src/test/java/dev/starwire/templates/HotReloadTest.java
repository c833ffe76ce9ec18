package dev.starwire.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.starwire.DevMode;
import dev.starwire.templates.fixtures.DynamicFixtureTemplates;
import dev.starwire.templates.fixtures.FixtureTemplates;
import dev.starwire.templates.fixtures.StaticFixtureTemplates;
import dev.starwire.templates.internal.DynamicLayoutTemplates;
import dev.starwire.templates.internal.LayoutTemplates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dev mode for any jte-models facade: an app's templates (here the test facade {@code FixtureTemplates})
 * compiled from their source directory by jte and recompiled when a file changes.
 */
class HotReloadTest {
    private static final Path APP_SOURCES = Paths.get("src/test/jte");
    private static final Path LAYOUT_SOURCES = Paths.get("src/main/jte");
    private final PageOptions page = PageOptions.builder().integrity(PageOptions.DATASTAR_1_0_1_INTEGRITY)
            .nonce("n1").build();

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty(DevMode.PROPERTY);
        System.clearProperty(TemplatesFactory.DIR_PROPERTY);
    }

    private void copy(Path sources) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = dir.resolve(sources.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Rewrites a template and moves its timestamp on, for file systems with coarse timestamps. */
    private void edit(String template, String from, String to) throws IOException {
        Path file = dir.resolve(template);
        String source = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(source.contains(from), source);
        Files.writeString(file, source.replace(from, to), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
    }

    @Test
    void anAppPageRendersFromSourceExactlyAsPrecompiled() throws IOException {
        copy(APP_SOURCES);
        FixtureTemplates fromSource = TemplatesFactory.hotReload(dir, DynamicFixtureTemplates::new);
        assertEquals(new StaticFixtureTemplates().appPage(page, "Ana<").render(),
                fromSource.appPage(page, "Ana<").render());
        assertEquals(new StaticFixtureTemplates().multiLineCrlf("a", "b").render(),
                fromSource.multiLineCrlf("a", "b").render());
    }

    @Test
    void anEditedAppTemplateIsRecompiledOnTheNextRender() throws IOException {
        copy(APP_SOURCES);
        FixtureTemplates templates = TemplatesFactory.hotReload(dir, DynamicFixtureTemplates::new);
        assertTrue(templates.appPage(page, "Ana").render().contains("<main id=\"app\">\n<p id=\"greeting\">"
                + "Hello Ana!</p>"));

        edit("appPage.jte", "<main id=\"app\">", "<main id=\"app\" class=\"edited\">");
        assertTrue(templates.appPage(page, "Ana").render().contains("<main id=\"app\" class=\"edited\">"));

        // a component the page calls: the page is recompiled with it
        edit("hello.jte", "Hello ${name}!", "Hi ${name}!");
        String html = templates.appPage(page, "Ana").render();
        assertTrue(html.contains("<p id=\"greeting\">Hi Ana!</p>"), html);
        assertEquals("<p id=\"greeting\">Hi Bo!</p>\n", templates.hello("Bo").render());
    }

    @Test
    void theLayoutRendersFromSourceExactlyAsPrecompiled() throws IOException {
        copy(LAYOUT_SOURCES);
        LayoutTemplates fromSource = TemplatesFactory.hotReload(dir, DynamicLayoutTemplates::new);
        assertEquals(Layout.page(page, "T<", out -> out.writeContent("<main id=\"m\">x</main>")).render(),
                fromSource.page(page, "T<", out -> out.writeContent("<main id=\"m\">x</main>")).render());
    }

    @Test
    void createFollowsDevMode() throws IOException {
        copy(APP_SOURCES);
        System.setProperty(TemplatesFactory.DIR_PROPERTY, dir.toString());
        System.setProperty(DevMode.PROPERTY, "true");
        FixtureTemplates dev = TemplatesFactory.create(StaticFixtureTemplates::new, DynamicFixtureTemplates::new);
        assertInstanceOf(DynamicFixtureTemplates.class, dev);
        edit("hello.jte", "Hello ${name}!", "Hey ${name}!");
        assertEquals("<p id=\"greeting\">Hey Ana!</p>\n", dev.hello("Ana").render());

        System.setProperty(DevMode.PROPERTY, "false");
        FixtureTemplates production = TemplatesFactory.create(StaticFixtureTemplates::new,
                DynamicFixtureTemplates::new);
        assertInstanceOf(StaticFixtureTemplates.class, production);
        assertEquals("<p id=\"greeting\">Hello Ana!</p>\n", production.hello("Ana").render());
    }

    @Test
    void theSourceDirectoryDefaultsToSrcMainJte() {
        assumeTrue(System.getenv(TemplatesFactory.DIR_ENV) == null, "STARWIRE_TEMPLATES_DIR is set");
        assertEquals(Paths.get("src/main/jte"), TemplatesFactory.sourceDirectory());
        System.setProperty(TemplatesFactory.DIR_PROPERTY, " other/jte ");
        assertEquals(Paths.get("other/jte"), TemplatesFactory.sourceDirectory());
    }

    @Test
    void aMissingSourceDirectoryIsReportedClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TemplatesFactory.hotReload(dir.resolve("nope"), DynamicFixtureTemplates::new));
        assertTrue(e.getMessage().contains("jte source directory not found") && e.getMessage().contains("nope"),
                e.getMessage());
    }
}
