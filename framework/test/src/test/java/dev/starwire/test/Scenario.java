package dev.starwire.test;

import dev.starwire.DatastarEvent;
import dev.starwire.browser.BrowserWindow;
import dev.starwire.browser.DatastarBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A scripted scenario for the differential check: a page, then steps (the server's answers to actions the
 * user triggers, and typing), then what the user must see. {@link KitAgreesWithChromiumBrowserTest} plays
 * it once with the test kit and once in Chromium and compares the two.
 *
 * <p>Every page carries a {@code #next} button ({@code @get('/s/next')}) to fetch the next scripted answer
 * and a {@code <pre id="signals" data-json-signals>} in which the real client shows its signals.
 */
final class Scenario {
    /**
     * One step: click {@code selector} (its action gets {@code answer}), or type {@code text} into it. In the
     * browser a click is done when the client reports its fetch finished, or when {@code done} holds.
     */
    record Step(String selector, ScenarioServer.Answer answer, String signal, String text, String doneDescription,
                Predicate<BrowserWindow> done, String form) {
        boolean typing() {
            return signal != null;
        }
    }

    private final String name;
    private final String html;
    /** The answer to the page's {@code data-init} action, if it has one. */
    ScenarioServer.Answer init;
    final List<Step> steps = new ArrayList<>();
    final List<Consumer<KitAgreesWithChromiumBrowserTest.Outcome>> expectations = new ArrayList<>();
    final List<Consumer<BrowserWindow>> browserChecks = new ArrayList<>();

    private Scenario(String name, String html) {
        this.name = name;
        this.html = html;
    }

    /**
     * A scenario whose page has {@code signals} (JSON) on its body and {@code body} inside it. The page's
     * script tag names the CDN with SRI and carries the CSP nonce ({@code {nonce}} in {@code body} is
     * replaced by it too).
     */
    static Scenario page(String name, String signals, String body) {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + name + "</title>"
                + DatastarBundle.scriptTag("{nonce}") + "</head>\n"
                + "<body data-signals='" + signals + "'>\n" + body + "\n"
                + "<button id=\"next\" data-on:click=\"@get('/s/next')\">next</button>\n"
                + "<pre id=\"signals\" data-json-signals></pre>\n"
                + "</body></html>";
        return new Scenario(name, html);
    }

    String html() {
        return html;
    }

    /** The server streams {@code events} as the answer to {@code #next}. */
    Scenario send(DatastarEvent... events) {
        return click("#next", ScenarioServer.events(events));
    }

    /** The server streams the events made for the page's CSP nonce as the answer to {@code #next}. */
    Scenario send(Function<String, List<DatastarEvent>> events) {
        return click("#next", ScenarioServer.events(events));
    }

    /** {@code #next} gets {@code answer} (a one-shot response, say). */
    Scenario answer(ScenarioServer.Answer answer) {
        return click("#next", answer);
    }

    /** The user clicks {@code selector}; the action in its {@code data-on:click} gets {@code answer}. */
    Scenario click(String selector, ScenarioServer.Answer answer) {
        steps.add(new Step(selector, answer, null, null, null, null, null));
        return this;
    }

    /**
     * The user submits {@code form} by clicking its button {@code button} (the kit submits the form: it runs
     * the form's {@code data-on:submit}); the action gets {@code answer}.
     */
    Scenario submit(String form, String button, ScenarioServer.Answer answer) {
        steps.add(new Step(button, answer, null, null, null, null, form));
        return this;
    }

    /** The page's {@code data-init} action (run as the page loads) gets {@code answer}. */
    Scenario init(ScenarioServer.Answer answer) {
        this.init = answer;
        return this;
    }

    /** The user types {@code text} into the field {@code selector}, bound to {@code signal}. */
    Scenario type(String selector, String signal, String text) {
        steps.add(new Step(selector, null, signal, text, null, null, null));
        return this;
    }

    /** In the browser the last step is done when {@code done} holds (not when its fetch reports finished). */
    Scenario doneInBrowserWhen(String description, Predicate<BrowserWindow> done) {
        Step last = steps.remove(steps.size() - 1);
        steps.add(new Step(last.selector(), last.answer(), last.signal(), last.text(), description, done, last.form()));
        return this;
    }

    /** What the user must see at the end, checked on both sides. */
    Scenario expect(Consumer<KitAgreesWithChromiumBrowserTest.Outcome> expectation) {
        expectations.add(expectation);
        return this;
    }

    /** A check only a real browser can answer (say, the namespace of an element), run at the end. */
    Scenario inBrowser(Consumer<BrowserWindow> check) {
        browserChecks.add(check);
        return this;
    }

    @Override
    public String toString() {
        return name;
    }
}
