package dev.starwire.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.bidi.browsingcontext.BrowsingContext;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One user's browser window in the shared {@link Chromium}, in a browser context of its own. Methods act on
 * this window whatever window the driver was on, so a test can drive several users in turn; everything a
 * test reads is what the page shows (text content, visibility, input values).
 *
 * <pre>{@code
 * window.open(base + "/chat").click("button.join").awaitShown(".online");
 * window.type("input[data-bind\\:message-text]", "hello").click("form button[type=submit]");
 * window.await("the message", w -> w.texts("#messages .message-text").contains("hello"));
 * }</pre>
 */
public final class BrowserWindow implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Dimension SIZE = new Dimension(1280, 900);

    private final Chromium chromium;
    private final BrowsingContext context;
    private final String userContext;
    private final String handle;
    private boolean closed;

    BrowserWindow(Chromium chromium, BrowsingContext context, String userContext) {
        this.chromium = chromium;
        this.context = context;
        this.userContext = userContext;
        this.handle = context.getId();
    }

    String handle() {
        return handle;
    }

    /** Runs {@code action} with the driver on this window. */
    private <T> T on(Function<ChromeDriver, T> action) {
        synchronized (chromium) {
            if (closed) {
                throw new IllegalStateException("the window is closed");
            }
            chromium.focus(handle);
            return action.apply(chromium.driver());
        }
    }

    /**
     * Loads {@code url} and waits until the Datastar client has processed the page (its {@code datastar-ready}
     * event): from then on {@code data-show}, {@code data-attr}, {@code data-text} show what the signals say.
     */
    public BrowserWindow open(String url) {
        navigate(url);
        return await("the Datastar client to start on " + url, w -> Boolean.TRUE.equals(
                w.script("return !!(window.__starwire && window.__starwire.ready)")));
    }

    /** Loads {@code url} and waits only for its load event (for a page whose client must not start). */
    public BrowserWindow navigate(String url) {
        on(d -> {
            d.get(url);
            return null;
        });
        return this;
    }

    /** The address of the page shown. */
    public String url() {
        return on(ChromeDriver::getCurrentUrl);
    }

    /** Runs JavaScript in the page (a function body: {@code return ...}; arguments as {@code arguments[i]}). */
    public Object script(String js, Object... args) {
        return on(d -> ((JavascriptExecutor) d).executeScript(js, args));
    }

    /** The text content of the one element matching {@code css}, as the DOM holds it. */
    public String text(String css) {
        return (String) script("return arguments[0].textContent", one(css));
    }

    /** The text content of every element matching {@code css}, in document order. */
    @SuppressWarnings("unchecked")
    public List<String> texts(String css) {
        return new ArrayList<>((List<String>) script(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent)", css));
    }

    /** How many elements match {@code css}. */
    public int count(String css) {
        return ((Number) script("return document.querySelectorAll(arguments[0]).length", css)).intValue();
    }

    /** Whether the one element matching {@code css} is shown (not hidden by {@code data-show} or CSS). */
    public boolean isShown(String css) {
        return on(d -> one(d, css).isDisplayed());
    }

    /** The current value of the one input matching {@code css} (what the user sees in the field). */
    public String value(String css) {
        return (String) script("return arguments[0].value", one(css));
    }

    /** Whether the one element matching {@code css} is disabled. */
    public boolean isDisabled(String css) {
        return on(d -> !one(d, css).isEnabled());
    }

    /** Clicks the one element matching {@code css}, as a user does. */
    public BrowserWindow click(String css) {
        on(d -> {
            one(d, css).click();
            return null;
        });
        return this;
    }

    /** Replaces the text of the one field matching {@code css} by typing {@code text} into it, key by key. */
    public BrowserWindow type(String css, String text) {
        on(d -> {
            WebElement field = one(d, css);
            field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
            if (!text.isEmpty()) {
                field.sendKeys(text);
            }
            return null;
        });
        return this;
    }

    /** Presses Enter in the one field matching {@code css} (submits its form). */
    public BrowserWindow pressEnter(String css) {
        on(d -> {
            one(d, css).sendKeys(Keys.ENTER);
            return null;
        });
        return this;
    }

    /** How many Datastar fetches of this page reached {@code type} ({@code started}, {@code finished}, ...). */
    public int fetches(String type) {
        Object n = script("return window.__starwire ? window.__starwire.fetches[arguments[0]] : -1", type);
        return ((Number) n).intValue();
    }

    /** {@code visible} or {@code hidden}: {@code document.visibilityState}. */
    public String visibility() {
        return (String) script("return document.visibilityState");
    }

    /** The page's {@code <body>} as HTML. */
    public String bodyHtml() {
        return (String) script("return document.body ? document.body.outerHTML : ''");
    }

    /**
     * Hides the page as a user does by minimising its window: {@code document.hidden} becomes true and
     * {@code visibilitychange} fires (the Datastar client then closes its {@code @get} streams).
     */
    public BrowserWindow hide() {
        on(d -> {
            d.manage().window().minimize();
            return null;
        });
        return await("the page to be hidden", w -> w.visibility().equals("hidden"));
    }

    /** Shows the page again by restoring its window (Datastar reopens its {@code @get} streams). */
    public BrowserWindow show() {
        on(d -> {
            d.manage().window().setSize(SIZE);
            return null;
        });
        return await("the page to be visible", w -> w.visibility().equals("visible"));
    }

    /** Waits up to 15 s until {@code condition} holds; fails showing the page body. */
    public BrowserWindow await(String description, Predicate<BrowserWindow> condition) {
        return await(description, condition, TIMEOUT);
    }

    /** Waits until {@code condition} holds; fails after {@code timeout} showing the page body. */
    public BrowserWindow await(String description, Predicate<BrowserWindow> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.test(this)) {
                    return this;
                }
                last = null;
            } catch (WebDriverException | AssertionError e) {
                last = e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                String body;
                try {
                    body = bodyHtml();
                } catch (RuntimeException e) {
                    body = "(unreadable: " + e + ")";
                }
                AssertionError failure = new AssertionError("timed out after " + timeout.toMillis()
                        + " ms waiting for " + description + " in " + url() + "\npage body:\n" + shorten(body, 4000));
                if (last != null) {
                    failure.addSuppressed(last);
                }
                throw failure;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + description);
            }
        }
    }

    /** Waits until the text content of the one element matching {@code css} equals {@code expected}. */
    public BrowserWindow awaitText(String css, String expected) {
        return await("'" + css + "' to read '" + expected + "'", w -> Objects.equals(w.text(css), expected));
    }

    /** Waits until the one element matching {@code css} is shown. */
    public BrowserWindow awaitShown(String css) {
        return await("'" + css + "' to be shown", w -> w.isShown(css));
    }

    /** Waits until exactly {@code count} elements match {@code css}. */
    public BrowserWindow awaitCount(String css, int count) {
        return await(count + " element(s) matching '" + css + "'", w -> w.count(css) == count);
    }

    /** Waits until {@code type} Datastar fetch events reached {@code count}. */
    public BrowserWindow awaitFetches(String type, int count) {
        return await(count + " Datastar fetch(es) " + type, w -> w.fetches(type) >= count);
    }

    private WebElement one(String css) {
        return on(d -> one(d, css));
    }

    private static WebElement one(ChromeDriver d, String css) {
        List<WebElement> found = d.findElements(By.cssSelector(css));
        if (found.size() != 1) {
            throw new AssertionError("expected one element matching '" + css + "', found " + found.size());
        }
        return found.get(0);
    }

    /** Closes the window and drops its browser context (cookies and all). */
    @Override
    public void close() {
        synchronized (chromium) {
            if (closed) {
                return;
            }
            closed = true;
            chromium.closeWindow(context, userContext);
        }
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + (s.length() - max) + " more chars)";
    }

    @Override
    public String toString() {
        return "BrowserWindow[" + handle + "]";
    }
}
