package dev.starwire.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.bidi.browsingcontext.BrowsingContext;
import org.openqa.selenium.bidi.browsingcontext.CreateContextParameters;
import org.openqa.selenium.bidi.module.Browser;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * One headless Chromium, driven by the system's {@code chromedriver} through Selenium, shared by every browser
 * test of a test run. Each {@link #newWindow()} is a window in its own browser context (own cookies, storage
 * and cache), so several users fit in one browser process. The Datastar CDN address resolves to a local
 * {@link CdnServer}. Every console error, failed load and Content-Security-Policy violation of any window is
 * collected and handed out by {@link #takeProblems()}.
 *
 * <pre>{@code
 * try (Chromium chromium = Chromium.launch(Chromium.locate().orElseThrow(), bundleBytes)) {
 *     BrowserWindow ana = chromium.newWindow();
 *     ana.open("http://127.0.0.1:" + port + "/").click("#start").awaitText("#count", "1");
 *     assertEquals(List.of(), chromium.takeProblems());
 * }
 * }</pre>
 *
 * <p>Driver and browser paths are always given explicitly, so Selenium Manager never looks for (or
 * downloads) a driver. {@code STARWIRE_CHROMIUM} and {@code STARWIRE_CHROMEDRIVER} override the defaults
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}.
 */
public final class Chromium implements AutoCloseable {
    private static final List<String> FLAGS = List.of(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--window-size=1280,900", "--ignore-certificate-errors");
    /** The browser asks every site for its icon on its own; a missing one is not the page's problem. */
    private static final Pattern FAVICON = Pattern.compile("/favicon\\.ico - Failed to load resource");
    /** Selenium warns that it has no CDP bindings for this Chromium; the harness uses none. */
    private static final Logger CDP_VERSION_LOGGER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");
    /**
     * Installed before any page script in every window: notes when the Datastar client has processed the page
     * and counts its fetch lifecycle events.
     */
    static final String INSTRUMENTATION = """
            (() => {
              if (window.__starwire) return;
              const fetches = {started: 0, finished: 0, error: 0, retrying: 0, 'retries-failed': 0};
              const state = window.__starwire = {fetches, ready: false};
              document.addEventListener('datastar-ready', () => { state.ready = true; });
              document.addEventListener('datastar-fetch', e => {
                const type = e.detail && e.detail.type;
                if (type in fetches) fetches[type]++;
              });
            })();""";

    private final CdnServer cdn;
    private final Path profile;
    private final ChromeDriver driver;
    private final Browser bidi;
    private final String home;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Ends the browser even when the test JVM is stopped before the test run closes it. */
    private final Thread shutdownHook = new Thread(this::quit, "starwire-chromium-shutdown");
    private String current;

    /** Where the browser and its driver are. */
    public record Binaries(Path chromium, Path chromedriver) {
    }

    private Chromium(Binaries binaries, byte[] bundle) {
        CDP_VERSION_LOGGER.setLevel(Level.SEVERE);
        this.cdn = new CdnServer(bundle);
        try {
            this.profile = Files.createTempDirectory("starwire-chromium");
        } catch (IOException e) {
            cdn.close();
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binaries.chromium().toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile,
                // the page names the real CDN; the browser reaches this machine's CdnServer instead
                "--host-resolver-rules=MAP " + DatastarBundle.CDN_HOST + ":443 127.0.0.1:" + cdn.port());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.enableBiDi(); // browser contexts (one per user) need WebDriver BiDi
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(binaries.chromedriver().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver started;
        try {
            started = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            cdn.close();
            deleteProfile();
            throw e;
        }
        this.driver = started;
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        this.bidi = new Browser(driver);
        this.home = driver.getWindowHandle();
        this.current = home;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the browser with the checked Datastar bundle to serve for the CDN address. */
    public static Chromium launch(Binaries binaries, byte[] bundle) {
        return new Chromium(binaries, bundle);
    }

    /**
     * The browser and driver to use: {@code STARWIRE_CHROMIUM} / {@code STARWIRE_CHROMEDRIVER} when set,
     * else {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}, else {@code chromium} and
     * {@code chromedriver} on the {@code PATH}; empty when either is missing.
     */
    public static Optional<Binaries> locate() {
        Optional<Path> browser = executable("STARWIRE_CHROMIUM", "/usr/bin/chromium", "chromium");
        Optional<Path> driver = executable("STARWIRE_CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver");
        return browser.isPresent() && driver.isPresent()
                ? Optional.of(new Binaries(browser.get(), driver.get())) : Optional.empty();
    }

    /** One line saying which of browser and driver is missing, for skip and failure messages. */
    public static String whatIsMissing() {
        List<String> missing = new ArrayList<>();
        if (executable("STARWIRE_CHROMIUM", "/usr/bin/chromium", "chromium").isEmpty()) {
            missing.add("no Chromium (STARWIRE_CHROMIUM, /usr/bin/chromium or chromium on the PATH)");
        }
        if (executable("STARWIRE_CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver").isEmpty()) {
            missing.add("no chromedriver (STARWIRE_CHROMEDRIVER, /usr/bin/chromedriver or chromedriver on the PATH)");
        }
        return String.join("; ", missing) + "; apt-get install chromium chromium-driver";
    }

    private static Optional<Path> executable(String env, String standard, String command) {
        String configured = System.getenv(env);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured.trim());
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (Files.isExecutable(Path.of(standard))) {
            return Optional.of(Path.of(standard));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, command);
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** A new window in a new browser context: a user of its own, sharing nothing with other windows. */
    public BrowserWindow newWindow() {
        synchronized (this) {
            String userContext = bidi.createUserContext();
            BrowsingContext context = new BrowsingContext(driver,
                    new CreateContextParameters(WindowType.WINDOW).userContext(userContext));
            BrowserWindow window = new BrowserWindow(this, context, userContext);
            focus(window.handle());
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", INSTRUMENTATION));
            return window;
        }
    }

    /** Makes {@code handle} the driver's current window (a no-op when it already is). Callers hold the lock. */
    void focus(String handle) {
        if (!handle.equals(current)) {
            driver.switchTo().window(handle);
            current = handle;
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    void closeWindow(BrowsingContext context, String userContext) {
        synchronized (this) {
            try {
                context.close();
            } finally {
                bidi.removeUserContext(userContext);
                driver.switchTo().window(home);
                current = home;
            }
        }
    }

    /**
     * Every problem the browser logged since the last call, in order, one line each: console errors, uncaught
     * exceptions, failed loads (a 404, a blocked script), Subresource Integrity failures and
     * Content-Security-Policy violations, of any window; plus requests to the CDN for anything but the bundle.
     * Ignored: the browser's own {@code /favicon.ico} request failing.
     */
    public List<String> takeProblems() {
        List<String> problems = new ArrayList<>();
        synchronized (this) {
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                String message = e.getMessage();
                boolean severe = e.getLevel().intValue() >= Level.SEVERE.intValue();
                boolean security = message.contains("Content Security Policy") || message.contains("integrity");
                if ((severe || security) && !FAVICON.matcher(message).find()) {
                    problems.add("[" + e.getLevel() + "] " + message);
                }
            }
        }
        for (String request : cdn.takeUnexpectedRequests()) {
            problems.add("[CDN] not served: " + request);
        }
        return problems;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs (or ran) quit() itself
        }
        quit();
    }

    private void quit() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            driver.quit();
        } finally {
            cdn.close();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }
}
