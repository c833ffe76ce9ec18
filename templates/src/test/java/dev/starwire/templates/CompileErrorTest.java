package dev.starwire.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.TemplateException;
import gg.jte.resolve.DirectoryCodeResolver;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong template parameters fail compilation, not a request: through jte's compiler (a template calling
 * another one wrongly) and through javac (Java code calling the generated typed facade wrongly).
 */
class CompileErrorTest {
    private static final String CARD = "@param String title\n@param int count\n<div id=\"card\">${title} ${count}</div>";

    @TempDir
    Path dir;

    private TemplateException compileTemplates(String callerSource) throws IOException {
        Files.writeString(dir.resolve("card.jte"), CARD, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("caller.jte"), callerSource, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        TemplateEngine engine = TemplateEngine.create(new DirectoryCodeResolver(dir), classes, ContentType.Html);
        return assertThrows(TemplateException.class, engine::precompileAll);
    }

    @Test
    void unknownParameterNameIsReportedWithTemplateAndParameter() throws IOException {
        TemplateException e = compileTemplates("<main id=\"m\">@template.card(title = \"x\", cuont = 3)</main>");
        assertTrue(e.getMessage().contains("caller.jte"), e.getMessage());
        assertTrue(e.getMessage().contains("cuont"), e.getMessage());
        assertTrue(e.getMessage().contains("card.jte"), e.getMessage());
    }

    @Test
    void missingRequiredParameterIsReported() throws IOException {
        TemplateException e = compileTemplates("<main id=\"m\">@template.card(title = \"x\")</main>");
        assertTrue(e.getMessage().contains("error at caller.jte:1"), e.getMessage());
        assertTrue(e.getMessage().contains("JtecardGenerated"), e.getMessage());
        // the card's parameters (after jte's own two): title String, count int
        assertTrue(e.getMessage().contains("required: HtmlTemplateOutput,HtmlInterceptor,String,int"), e.getMessage());
    }

    @Test
    void wrongParameterTypeIsReportedAtTheCallingTemplateLine() throws IOException {
        TemplateException e = compileTemplates("<main id=\"m\">\n@template.card(title = 42, count = 3)\n</main>");
        assertTrue(e.getMessage().contains("caller.jte:2"), e.getMessage());
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("int cannot be converted to java.lang.string")
                || e.getMessage().toLowerCase(Locale.ROOT).contains("int cannot be converted to string"), e.getMessage());
    }

    @Test
    void javacRejectsAWronglyTypedArgumentToTheTypedFacade() throws Exception {
        List<Diagnostic<? extends JavaFileObject>> errors = javac("WrongType",
                "t.appPage(\"Chat\", dev.starwire.templates.PageOptions.defaults())");
        assertEquals(1, errors.size(), errors::toString);
        String message = errors.get(0).getMessage(Locale.ROOT);
        assertTrue(message.contains("java.lang.String cannot be converted to dev.starwire.templates.PageOptions"),
                message);
        assertEquals(4L, errors.get(0).getLineNumber(), message);
    }

    @Test
    void javacRejectsAMissingArgumentNamingTheTemplateMethod() throws Exception {
        List<Diagnostic<? extends JavaFileObject>> errors = javac("Missing",
                "t.appPage(dev.starwire.templates.PageOptions.defaults())");
        assertEquals(1, errors.size(), errors::toString);
        String message = errors.get(0).getMessage(Locale.ROOT);
        assertTrue(message.contains("method appPage in interface dev.starwire.templates.fixtures.FixtureTemplates"
                + " cannot be applied to given types"), message);
        assertTrue(message.contains("required: dev.starwire.templates.PageOptions,java.lang.String"), message);
    }

    @Test
    void javacAcceptsTheRightCall() throws Exception {
        assertEquals(List.of(), javac("Right",
                "t.appPage(dev.starwire.templates.PageOptions.defaults(), \"Chat\")"));
    }

    /** Compiles {@code call} (an expression using an app's facade {@code t}) on line 4 of a small class. */
    private List<Diagnostic<? extends JavaFileObject>> javac(String className, String call) throws Exception {
        String source = "package probe;\n"
                + "class " + className + " {\n"
                + "  Object page(dev.starwire.templates.fixtures.FixtureTemplates t) {\n"
                + "    return " + call + ";\n"
                + "  }\n"
                + "}\n";
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "tests need a JDK");
        Path src = Files.createDirectories(dir.resolve("probe")).resolve(className + ".java");
        Files.writeString(src, source, StandardCharsets.UTF_8);
        Path out = Files.createDirectories(dir.resolve("out"));
        String classPath = Stream.of(dev.starwire.templates.fixtures.FixtureTemplates.class, PageOptions.class, gg.jte.Content.class, gg.jte.models.runtime.JteModel.class)
                .map(CompileErrorTest::location).collect(Collectors.joining(File.pathSeparator));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            compiler.getTask(null, files, diagnostics, List.of("-classpath", classPath, "-d", out.toString()), null,
                    files.getJavaFileObjects(src.toFile())).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .collect(Collectors.toList());
    }

    private static String location(Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
