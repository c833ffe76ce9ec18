package dev.starwire.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.Component;
import dev.starwire.DevMode;
import dev.starwire.Html;
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

/** Dev mode: templates compiled from a source directory by jte and recompiled when a file changes. */
class HotReloadTest {
    private static final Path SOURCES = Paths.get("src/main/jte");

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty(DevMode.PROPERTY);
        System.clearProperty(TemplatesFactory.DIR_PROPERTY);
    }

    private void copySources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = dir.resolve(SOURCES.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void sourceTemplatesRenderLikeThePrecompiledOnes() throws IOException {
        copySources();
        Component body = out -> out.writeContent("<main id=\"m\">x</main>");
        PageOptions options = PageOptions.builder().integrity(PageOptions.DATASTAR_1_0_1_INTEGRITY).nonce("n1")
                .build();
        assertEquals(Html.render(TemplatesFactory.precompiled().starwirePage(options, "T<", body)),
                Html.render(TemplatesFactory.hotReload(dir).starwirePage(options, "T<", body)));
    }

    @Test
    void anEditedTemplateIsRecompiledOnTheNextRender() throws IOException {
        copySources();
        Templates templates = TemplatesFactory.hotReload(dir);
        String before = Html.render(templates.starwireDatastarScript(PageOptions.defaults()));
        assertEquals("<script type=\"module\" src=\"" + PageOptions.DATASTAR_CDN + "\"></script>", before);

        Path file = dir.resolve("starwire/datastarScript.jte");
        String source = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, source.replace("<script type=\"module\"", "<script data-edited type=\"module\""),
                StandardCharsets.UTF_8);
        // file systems with coarse timestamps: make the change visible without waiting
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));

        String after = Html.render(templates.starwireDatastarScript(PageOptions.defaults()));
        assertEquals("<script data-edited type=\"module\" src=\"" + PageOptions.DATASTAR_CDN + "\"></script>", after);
    }

    @Test
    void createFollowsDevMode() throws IOException {
        copySources();
        System.setProperty(TemplatesFactory.DIR_PROPERTY, dir.toString());
        System.setProperty(DevMode.PROPERTY, "true");
        assertInstanceOf(DynamicTemplates.class, TemplatesFactory.create());
        System.setProperty(DevMode.PROPERTY, "false");
        assertInstanceOf(StaticTemplates.class, TemplatesFactory.create());
    }

    @Test
    void aMissingSourceDirectoryIsReportedClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TemplatesFactory.hotReload(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("jte source directory not found") && e.getMessage().contains("nope"),
                e.getMessage());
    }
}
