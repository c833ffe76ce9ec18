package dev.starwire.browser;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for tests in a real browser. It starts one {@link Chromium} per test run (shared by every
 * class that registers the extension, closed when the run ends), hands each {@link BrowserWindow} parameter
 * a fresh window in a browser context of its own, closes those windows right after the test method (before
 * its {@code @AfterEach} methods, which may stop the app), and fails the test
 * when the browser logged a problem meanwhile (console error, failed load, integrity or CSP violation) that
 * the test did not {@linkplain #allowProblems(String) expect}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ChromiumExtension chromium = new ChromiumExtension();
 *
 * @Test
 * void chat(BrowserWindow ana, BrowserWindow budi) { ... }
 * }</pre>
 *
 * <p>Without a browser (or without {@code shared/datastar-client/} beside the repository) the test class is
 * skipped with a one-line reason; with the environment variable {@code CI=true} a missing browser fails it.
 */
public final class ChromiumExtension implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback,
        AfterTestExecutionCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ChromiumExtension.class);

    private static final AtomicBoolean SKIP_TOLD = new AtomicBoolean();

    private final List<BrowserWindow> windows = new CopyOnWriteArrayList<>();
    private final List<Pattern> allowed = new CopyOnWriteArrayList<>();
    private final List<String> taken = new CopyOnWriteArrayList<>();
    private volatile Chromium chromium;

    /** Skips the tests (one line saying why) when the bundle or, outside CI, the browser is missing. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (DatastarBundle.find().isEmpty()) {
            return skip("browser tests skipped: no shared/datastar-client/datastar-1.0.1.js above "
                    + System.getProperty("user.dir") + " (the Datastar bundle is not kept in the repository)");
        }
        if (Chromium.locate().isEmpty() && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            return skip("browser tests skipped: " + Chromium.whatIsMissing());
        }
        return ConditionEvaluationResult.enabled("a browser and the Datastar bundle are at hand");
    }

    private static ConditionEvaluationResult skip(String reason) {
        if (SKIP_TOLD.compareAndSet(false, true)) {
            // once per test JVM, on the process's own stderr: the build log shows it even when the test
            // runner sends System.err to a report file
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
                    StandardCharsets.UTF_8);
            err.println("[starwire] " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Path bundle = DatastarBundle.find().orElseThrow();
        Optional<Chromium.Binaries> binaries = Chromium.locate();
        if (binaries.isEmpty()) {
            throw new IllegalStateException("CI=true and the browser tests cannot run: " + Chromium.whatIsMissing());
        }
        chromium = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Chromium.class,
                k -> Chromium.launch(binaries.get(), DatastarBundle.load(bundle)), Chromium.class);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        allowed.clear();
        taken.clear();
        chromium.takeProblems(); // whatever a previous test's pages logged after it ended
    }

    /**
     * Right after the test method, before the test's own {@code @AfterEach} stops its servers (a server going
     * away under an open page would make the client log errors the test did not cause): reads the problems,
     * then closes the test's windows.
     */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        List<String> problems = new ArrayList<>();
        for (String p : chromium.takeProblems()) { // before the windows close, so nothing they logged is lost
            if (allowed.stream().noneMatch(a -> a.matcher(p).find())) {
                problems.add(p);
            }
        }
        List<BrowserWindow> open = new ArrayList<>(windows);
        windows.clear();
        RuntimeException closing = null;
        for (BrowserWindow w : open) {
            try {
                w.close();
            } catch (RuntimeException e) {
                closing = e;
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("the browser logged " + problems.size() + " problem(s):\n  - "
                    + String.join("\n  - ", problems));
        }
        if (closing != null) {
            throw closing;
        }
    }

    /** The shared browser (after the class started). */
    public Chromium chromium() {
        return chromium;
    }

    /** A new window in its own browser context, closed after the current test. */
    public BrowserWindow newWindow() {
        BrowserWindow w = chromium.newWindow();
        windows.add(w);
        return w;
    }

    /**
     * Lets problems matching {@code regex} pass for the rest of the current test: for a test that causes a
     * console error on purpose (a dropped connection logs one, a blocked script logs a CSP violation).
     */
    public void allowProblems(String regex) {
        allowed.add(Pattern.compile(regex));
    }

    /**
     * The problems logged so far in this test (they then no longer fail it): for a test that asserts that a
     * problem is reported.
     */
    public List<String> takeProblems() {
        taken.addAll(chromium.takeProblems());
        return List.copyOf(taken);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == BrowserWindow.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return newWindow();
    }
}
