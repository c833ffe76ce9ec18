package dev.starwire.test;

import dev.starwire.DatastarProtocol;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;

/**
 * Plays the Datastar 1.0 browser client against a running app over real HTTP: it loads a page, sends
 * actions exactly as the 1.0.1 client does, keeps cookies, and applies what comes back to its
 * {@link TestPage}. Relative action URLs resolve against the page's address (or its {@code <base href>}), as
 * in the browser.
 *
 * <p>Every action carries {@code Datastar-Request: true} and {@code Accept: text/event-stream, text/html,
 * application/json}, and the page's signals but local ones (names starting with {@code _}): {@code GET} and
 * {@code DELETE} put them, as JSON, in the {@code datastar} query parameter (no {@code Content-Type});
 * {@code POST}, {@code PUT} and {@code PATCH} send them as the body with {@code Content-Type:
 * application/json}. An action with {@code {contentType: 'form'}} ({@link #sendForm}, or an attribute that says
 * so) sends the form's fields instead: urlencoded ({@code Content-Type: application/x-www-form-urlencoded}) or,
 * for a form with {@code enctype="multipart/form-data"}, multipart; for {@code GET}/{@code DELETE} the fields
 * go into the query.
 *
 * <pre>{@code
 * try (DatastarClient ana = DatastarClient.connect("http://127.0.0.1:" + port)) {
 *     ana.open("/chat").assertDatastar10Syntax();
 *     ana.init();                                      // data-init="@get('/chat/stream')", in the background
 *     ana.page().setSignal("messageText", "hello");    // the user types
 *     ana.submit("#send");                             // data-on:submit="@post('/chat/send')", applied
 *     ana.awaitElements("#messages .message", 1);
 *     ana.page().assertThat("#messages .message").hasText("hello");
 * }
 * }</pre>
 *
 * <p>Thread-safe; several clients (each with its own cookies) can drive one app at once. Waits end as soon
 * as their condition holds and fail after the client's timeout (15 s by default).
 */
// Why ~430 lines in one class: it is the kit's browser, and its public surface (open, init, click, submit,
// post, stream, await) is what a test uses; how it parses (SseParser), keeps the page (TestPage, DomPatcher,
// PageSignals), encodes forms (FormEncoding) and reads answers (ReceivedStream) are classes of their own.
public final class DatastarClient implements AutoCloseable {
    private static final String ACCEPT = DatastarProtocol.EVENT_STREAM + ", text/html, application/json";
    private static final Pattern ACTION = Pattern.compile(
            "@(get|post|put|patch|delete)\\(\\s*(['\"`])(.*?)\\2\\s*(?:,\\s*(\\{[^}]*\\}))?");
    private static final Pattern FORM_OPTION = Pattern.compile("contentType\\s*:\\s*(['\"`])form\\1");
    private static final Pattern SELECTOR_OPTION = Pattern.compile("selector\\s*:\\s*(['\"`])(.*?)\\1");

    private final URI base;
    private final Duration timeout;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private final List<ReceivedStream> streams = new CopyOnWriteArrayList<>();
    private volatile TestPage page = TestPage.blank();
    /** What the page's relative action URLs resolve against, as the browser's {@code document.baseURI}. */
    private volatile URI pageBase;

    /** A client for the app at {@code baseUri} (e.g. {@code http://127.0.0.1:8080}) with a 15 s timeout. */
    public DatastarClient(URI baseUri) {
        this(baseUri, Duration.ofSeconds(15));
    }

    /** A client for the app at {@code baseUri}; {@code timeout} bounds every wait and every blocking action. */
    public DatastarClient(URI baseUri, Duration timeout) {
        this.base = Objects.requireNonNull(baseUri, "baseUri");
        this.pageBase = baseUri;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(cookies)
                .connectTimeout(timeout)
                .build();
    }

    /** A client for {@code baseUrl}, e.g. {@code "http://127.0.0.1:" + app.port()}. */
    public static DatastarClient connect(String baseUrl) {
        return new DatastarClient(URI.create(baseUrl));
    }

    /** The app's base address. */
    public URI baseUri() {
        return base;
    }

    /** The page the client holds now (a blank one until {@link #open(String)}). */
    public TestPage page() {
        return page;
    }

    /** The cookies the client keeps, e.g. the session cookie. */
    public List<HttpCookie> cookies() {
        return cookies.getCookieStore().getCookies();
    }

    /**
     * Loads a page with a plain GET, as a browser navigation (no Datastar header), and makes it the client's
     * page. Streams of the previous page are closed, as leaving a page closes them.
     *
     * @throws AssertionError when the answer is not a 2xx HTML page
     */
    public TestPage open(String path) {
        closeStreams();
        HttpRequest req = HttpRequest.newBuilder(resolve(path)).timeout(timeout)
                .header("Accept", "text/html").GET().build();
        HttpResponse<String> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot load " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while loading " + path);
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() < 200 || r.statusCode() >= 300 || !type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + " " + type + ", expected an HTML"
                    + " page:\n" + TestPage.shorten(r.body(), 2000));
        }
        TestPage loaded = TestPage.of(r.body());
        Element baseTag = loaded.select("base[href]").first();
        pageBase = baseTag == null ? r.uri() : r.uri().resolve(baseTag.attr("href").strip());
        page = loaded;
        return loaded;
    }

    /** {@code @get(path)}: waits for the whole response and applies it. */
    public ActionResult get(String path) {
        return action("GET", path);
    }

    /** {@code @post(path)}: waits for the whole response and applies it. */
    public ActionResult post(String path) {
        return action("POST", path);
    }

    /** {@code @put(path)}: waits for the whole response and applies it. */
    public ActionResult put(String path) {
        return action("PUT", path);
    }

    /** {@code @patch(path)}: waits for the whole response and applies it. */
    public ActionResult patch(String path) {
        return action("PATCH", path);
    }

    /** {@code @delete(path)}: waits for the whole response and applies it. */
    public ActionResult delete(String path) {
        return action("DELETE", path);
    }

    /**
     * Sends an action and waits (up to the timeout) until the server ends the response, applying it on the way.
     *
     * @throws AssertionError when the response does not end in time, or breaks the protocol
     */
    public ActionResult action(String method, String path) {
        return run(method, path, null);
    }

    /**
     * An action with the option {@code {contentType: 'form'}, selector: formSelector}: sends the fields of the
     * form {@code formSelector} matches (fields bound with {@code data-bind} carry their signal's value), urlencoded
     * or multipart as the form's {@code enctype} says, and waits for the answer like {@link #action}.
     *
     * @throws AssertionError when no form matches, the response does not end in time, or breaks the protocol
     */
    public ActionResult sendForm(String method, String path, String formSelector) {
        return run(method, path, page.formSubmission(null, Objects.requireNonNull(formSelector, "formSelector")));
    }

    private ActionResult run(String method, String path, TestPage.FormSubmission form) {
        ReceivedStream s = openStream(method, path, null, false, form);
        try {
            s.awaitEnd(timeout);
            return s.result();
        } finally {
            s.close();
        }
    }

    /**
     * {@code @get(path)} whose SSE answer is read in the background, e.g. a {@code data-init} stream. Returns
     * once the response headers arrived.
     *
     * @throws AssertionError when the server answers with a non-2xx status
     */
    public ReceivedStream stream(String path) {
        return stream("GET", path);
    }

    /** As {@link #stream(String)} with another method. */
    public ReceivedStream stream(String method, String path) {
        return openStream(method, path, null, true, null);
    }

    /** As {@link #stream(String)}, reconnecting with the header {@code Last-Event-ID: lastEventId}. */
    public ReceivedStream resume(String path, String lastEventId) {
        return openStream("GET", path, lastEventId, true, null);
    }

    ReceivedStream openStream(String method, String path, String lastEventId, boolean requireSuccess,
                              TestPage.FormSubmission form) {
        TestPage target = page;
        ReceivedStream s = new ReceivedStream(this, target, method, path,
                request(method, path, target, lastEventId, form), lastEventId, requireSuccess);
        streams.add(s);
        s.start();
        s.awaitStarted(timeout);
        if (requireSuccess && (s.status() < 200 || s.status() >= 300)) {
            s.close();
            AssertionError f = s.failure().orElse(null);
            throw f != null ? f : new AssertionError(method + " " + path + " answered " + s.status() + ": "
                    + TestPage.shorten(s.result().body(), 2000));
        }
        return s;
    }

    /**
     * Does what {@code data-init} does when the page loads: runs every {@code @get(...)}/{@code @post(...)}
     * action found in the page's {@code data-init} attributes, each read in the background.
     *
     * @return the streams opened, in document order
     */
    public List<ReceivedStream> init() {
        List<ReceivedStream> opened = new ArrayList<>();
        for (Element el : page.select("*")) {
            for (Attribute a : el.attributes()) {
                if (a.getKey().equals("data-init") || a.getKey().startsWith("data-init__")) {
                    for (String[] action : actions(a.getValue())) {
                        opened.add(openStream(action[0], action[1], null, true, formOf(action, null)));
                    }
                }
            }
        }
        return opened;
    }

    /** Clicks the one element matching {@code cssSelector}: runs the actions of its {@code data-on:click}. */
    public List<ActionResult> click(String cssSelector) {
        return trigger(cssSelector, "click");
    }

    /** Submits the one form matching {@code cssSelector}: runs the actions of its {@code data-on:submit}. */
    public List<ActionResult> submit(String cssSelector) {
        return trigger(cssSelector, "submit");
    }

    /**
     * Fires DOM event {@code event} on the one element matching {@code cssSelector}: runs, in order and each
     * to its end, the {@code @get/@post/@put/@patch/@delete} actions in its {@code data-on:<event>} attribute
     * (modifiers such as {@code __prevent} allowed). Other JavaScript in the expression is not run. Of the
     * action options, {@code contentType: 'form'} and {@code selector} are followed: the closest form (or the
     * one the selector names) is sent as the client sends it, with the triggering button as submitter.
     *
     * @throws AssertionError when not exactly one element matches, it has no such attribute, or the
     *                        attribute holds no action
     */
    public List<ActionResult> trigger(String cssSelector, String event) {
        org.jsoup.select.Elements found = page.select(cssSelector);
        if (found.size() != 1) {
            throw new AssertionError("expected one element matching '" + cssSelector + "' to " + event + ", found "
                    + found.size() + (found.isEmpty() ? "" : ":\n" + TestPage.shorten(found.outerHtml(), 2000)));
        }
        Element el = found.first();
        String expression = null;
        for (Attribute a : el.attributes()) {
            String k = a.getKey();
            if (k.equals("data-on:" + event) || k.startsWith("data-on:" + event + "__")) {
                expression = a.getValue();
            }
        }
        if (expression == null) {
            throw new AssertionError("'" + cssSelector + "' has no data-on:" + event + " attribute: "
                    + TestPage.shorten(el.shallowClone().outerHtml(), 500));
        }
        List<String[]> actions = actions(expression);
        if (actions.isEmpty()) {
            throw new AssertionError("data-on:" + event + "=\"" + expression + "\" on '" + cssSelector
                    + "' holds no @get/@post/@put/@patch/@delete action the test kit can run");
        }
        List<ActionResult> results = new ArrayList<>();
        for (String[] action : actions) {
            results.add(run(action[0], action[1], formOf(action, cssSelector)));
        }
        return results;
    }

    /** The form an action with {@code {contentType: 'form'}} sends, or {@code null} for a JSON action. */
    private TestPage.FormSubmission formOf(String[] action, String triggerSelector) {
        String options = action[2];
        if (options == null || !FORM_OPTION.matcher(options).find()) {
            return null;
        }
        Matcher selector = SELECTOR_OPTION.matcher(options);
        return page.formSubmission(triggerSelector, selector.find() ? selector.group(2) : null);
    }

    /** The {@code @method('url', {options})} calls of an attribute expression, as {method, url, options}. */
    static List<String[]> actions(String expression) {
        List<String[]> found = new ArrayList<>();
        Matcher m = ACTION.matcher(expression);
        while (m.find()) {
            found.add(new String[] {m.group(1).toUpperCase(Locale.ROOT), m.group(3), m.group(4)});
        }
        return found;
    }

    /** Waits until the signal at {@code path} equals {@code expected}. */
    public TestPage awaitSignal(String path, Object expected) {
        return page.awaitSignal(path, expected, timeout);
    }

    /** Waits until exactly {@code count} elements match {@code cssSelector}. */
    public TestPage awaitElements(String cssSelector, int count) {
        return page.awaitElements(cssSelector, count, timeout);
    }

    /** Waits until {@code condition} holds on the page. */
    public TestPage await(Predicate<TestPage> condition, String description) {
        return page.await(condition, description, timeout);
    }

    /** Closes every open stream (and so its connection). */
    @Override
    public void close() {
        closeStreams();
    }

    private void closeStreams() {
        for (ReceivedStream s : streams) {
            s.close();
        }
        streams.clear();
    }

    void forget(ReceivedStream s) {
        streams.remove(s);
    }

    HttpClient http() {
        return http;
    }

    /** The request the 1.0.1 client makes for {@code @method(path)} (with the form option when {@code form} is set). */
    private HttpRequest request(String method, String path, TestPage from, String lastEventId,
                                TestPage.FormSubmission form) {
        String m = method.toUpperCase(Locale.ROOT);
        boolean inQuery = m.equals("GET") || m.equals("DELETE"); // the bundle's !["GET","DELETE"].includes(method)
        URI target = pageBase.resolve(path); // relative to the page, as the browser's new URL(url, document.baseURI)
        List<FormEncoding.Field> query = queryOf(target);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        String contentType = null;
        if (form == null) {
            String signals = JsonSupport.write(from.requestSignals());
            if (inQuery) {
                query.removeIf(f -> f.name().equals(DatastarProtocol.SIGNALS_PARAMETER)); // URLSearchParams.set replaces it
                query.add(new FormEncoding.Field(DatastarProtocol.SIGNALS_PARAMETER, signals));
            } else {
                contentType = "application/json";
                body = HttpRequest.BodyPublishers.ofString(signals, StandardCharsets.UTF_8);
            }
        } else {
            if (!form.multipart()) {
                contentType = "application/x-www-form-urlencoded"; // set even when the fields go in the query
            }
            if (inQuery) {
                query.addAll(form.fields());
            } else if (form.multipart()) {
                String boundary = "----StarwireFormBoundary" + Long.toHexString(System.nanoTime());
                contentType = "multipart/form-data; boundary=" + boundary;
                body = HttpRequest.BodyPublishers.ofByteArray(FormEncoding.multipart(form.fields(), boundary));
            } else {
                body = HttpRequest.BodyPublishers.ofString(FormEncoding.urlEncoded(form.fields()),
                        StandardCharsets.UTF_8);
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(withQuery(target, query)).method(m, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.header(DatastarProtocol.REQUEST_HEADER, "true").header("Accept", ACCEPT);
        if (lastEventId != null && !lastEventId.isEmpty()) {
            b.header(DatastarProtocol.LAST_EVENT_ID, lastEventId);
        }
        return b.build();
    }

    private URI resolve(String path) {
        return base.resolve(path);
    }

    /** The query of {@code uri} as {@code new URLSearchParams(url.search)} reads it. */
    private static List<FormEncoding.Field> queryOf(URI uri) {
        List<FormEncoding.Field> fields = new ArrayList<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return fields;
        }
        for (String pair : raw.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                fields.add(new FormEncoding.Field(
                        URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
            }
        }
        return fields;
    }

    /**
     * {@code uri} with its query replaced by {@code query}, serialised as {@code URLSearchParams.toString()}
     * (a fragment never travels in a request).
     */
    private static URI withQuery(URI uri, List<FormEncoding.Field> query) {
        String s = uri.toString();
        int hash = s.indexOf('#');
        String head = hash < 0 ? s : s.substring(0, hash);
        int cut = head.indexOf('?');
        head = cut < 0 ? head : head.substring(0, cut);
        return URI.create(query.isEmpty() ? head : head + "?" + FormEncoding.urlEncoded(query));
    }
}
