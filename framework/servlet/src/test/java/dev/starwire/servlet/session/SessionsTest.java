package dev.starwire.servlet.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.PatchSignals;
import dev.starwire.Signals;
import dev.starwire.servlet.ServletServer;
import dev.starwire.servlet.SseClient;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.signals.SignalSubscription;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private static final Pattern COOKIE = Pattern.compile(
            "starwire_session=([0-9a-f]{32}); Path=/; HttpOnly; SameSite=Lax(; Secure)?");
    private static final String OPENED = "event: datastar-patch-signals\ndata: signals {\"stream\":\"open\"}\n\n";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final AtomicReference<Session> lastStreamSession = new AtomicReference<>();
    private final AtomicReference<RuntimeException> lateLookup = new AtomicReference<>();
    private Sessions sessions;
    private ServletServer app;

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    /** A real server on a random port with routes that use the registry the way an application does. */
    private void start(Consumer<Sessions.Builder> settings) {
        start(settings, Signals.DEFAULT_MAX_BYTES);
    }

    private void start(Consumer<Sessions.Builder> settings, long maxSignalBytes) {
        Sessions.Builder b = Sessions.builder().clock(clock).sweepInterval(Duration.ZERO);
        settings.accept(b);
        sessions = b.build();
        StarwireServlets starwire = StarwireServlets.create(cfg -> { // its signals limit; it answers bad signals
            cfg.sessions = sessions;
            cfg.maxSignalBytes = maxSignalBytes;
        });
        app = new ServletServer(starwire, context -> {
            route(starwire, context, "/hello", (req, res) ->
                    text(res, sessions.of(req, res) == sessions.of(req, res) ? "same" : "different"));
            route(starwire, context, "/set", (req, res) -> starwire.session(req, res).store()
                    .set(req.getParameter("path"), req.getParameter("value")));
            route(starwire, context, "/send", (req, res) -> {
                Session s = starwire.session(req, res);
                String typed = s.store().get("messageText", String.class, "");
                s.store().set("messageText", "");
                text(res, typed + "|" + starwire.signals(req).tree().path("messageText").asText());
            });
            route(starwire, context, "/state", (req, res) -> text(res,
                    sessions.find(req).map(s -> s.store().snapshot().toString()).orElse("none")));
            route(starwire, context, "/late", (req, res) -> {
                BlockingSse.open(res).send(PatchSignals.of(Map.of("stream", "open")));
                try {
                    sessions.of(req, res);
                } catch (IllegalStateException e) {
                    lateLookup.set(e);
                }
            });
            route(starwire, context, "/tab", (req, res) -> { // the one-call wiring a stream helper uses
                Session s = starwire.session(req, res);
                lastStreamSession.set(s);
                BlockingSse sse = BlockingSse.open(res);
                CountDownLatch done = new CountDownLatch(1);
                SignalSubscription link = s.connect(e -> {
                    try {
                        sse.send(e);
                    } catch (UncheckedIOException gone) {
                        done.countDown();
                    }
                }, done::countDown);
                try {
                    done.await(60, TimeUnit.SECONDS);
                } finally {
                    link.close();
                }
            });
            route(starwire, context, "/stream", (req, res) -> {
                Session s = starwire.session(req, res);
                lastStreamSession.set(s);
                BlockingSse sse = BlockingSse.open(res);
                CountDownLatch done = new CountDownLatch(1);
                SignalSubscription sub = s.store().onPatch(e -> {
                    try {
                        sse.send(e);
                    } catch (UncheckedIOException gone) {
                        done.countDown();
                    }
                });
                AutoCloseable closer = done::countDown;
                if (s.register(closer)) {
                    try {
                        sse.send(PatchSignals.of(Map.of("stream", "open")));
                        done.await(60, TimeUnit.SECONDS);
                    } finally {
                        s.unregister(closer);
                        sub.close();
                    }
                }
            });
        });
        cleanup.add(app);
        cleanup.add(sessions); // closed first: it releases the stream handlers so the server stops at once
    }

    private void route(StarwireServlets starwire, ServletContext context, String path, ServletServer.Handling h) {
        starwire.register(context, path, ServletServer.servlet(starwire, h));
    }

    private static void text(HttpServletResponse res, String body) throws IOException {
        res.setContentType("text/plain; charset=utf-8");
        res.getWriter().write(body);
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + app.port() + pathAndQuery);
    }

    private HttpResponse<String> get(String path, String cookie, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        if (headers.length > 0) {
            r.headers(headers);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String json) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Datastar-Request", "true")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private SseClient stream(String cookie) throws Exception {
        SseClient c = new SseClient(http, uri("/stream"), cookie);
        cleanup.add(c);
        assertEquals(200, c.response().statusCode());
        assertEquals(OPENED, c.next()); // subscribed: changes from now on reach this stream
        return c;
    }

    private static Optional<String> setCookie(HttpResponse<?> r) {
        return r.headers().firstValue("Set-Cookie");
    }

    /** A new session's cookie, as the browser would send it back. */
    private String newSession() throws Exception {
        HttpResponse<String> r = get("/hello", null);
        Matcher m = COOKIE.matcher(setCookie(r).orElseThrow());
        assertTrue(m.matches(), setCookie(r).get());
        return "starwire_session=" + m.group(1);
    }

    private static String signalsEvent(String json) {
        return "event: datastar-patch-signals\ndata: signals " + json + "\n\n";
    }

    // ------------------------------------------------------------ cookie

    @Test
    void theCookieIsA128BitIdThatIsHttpOnlySameSiteLaxAndPathRoot() throws Exception {
        start(b -> { });
        HttpResponse<String> first = get("/hello", null);
        List<String> cookies = first.headers().allValues("Set-Cookie");
        assertEquals(1, cookies.size(), "two lookups in one request issue one session: " + cookies);
        assertEquals("same", first.body());
        Matcher m = COOKIE.matcher(cookies.get(0));
        assertTrue(m.matches(), cookies.get(0));
        assertEquals(null, m.group(2), "plain HTTP: no Secure attribute");

        String cookie = "starwire_session=" + m.group(1);
        HttpResponse<String> again = get("/hello", cookie);
        assertEquals(Optional.empty(), setCookie(again), "a known session is kept");
        assertEquals(1, sessions.size());
        assertNotEquals(cookie, newSession(), "another browser gets another id");
    }

    @Test
    void theCookieIsSecureWhenATrustedProxySaysHttps() throws Exception {
        start(b -> b.trustForwardedProto(true));
        assertEquals("; Secure", cookieAttributes(get("/hello", null, "X-Forwarded-Proto", "https")));
        assertEquals("; Secure", cookieAttributes(get("/hello", null, "X-Forwarded-Proto", "https, http")));
        assertEquals(null, cookieAttributes(get("/hello", null, "X-Forwarded-Proto", "http")));
    }

    @Test
    void theForwardedProtoHeaderIsIgnoredUnlessTrusted() throws Exception {
        start(b -> { });
        assertEquals(null, cookieAttributes(get("/hello", null, "X-Forwarded-Proto", "https")));
    }

    private static String cookieAttributes(HttpResponse<?> r) {
        Matcher m = COOKIE.matcher(setCookie(r).orElseThrow());
        assertTrue(m.matches());
        return m.group(2);
    }

    @Test
    void anUnknownIdIsNeverAdopted() throws Exception {
        start(b -> { });
        String forged = "starwire_session=0123456789abcdef0123456789abcdef";
        HttpResponse<String> r = get("/hello", forged);
        String issued = setCookie(r).orElseThrow();
        assertFalse(issued.startsWith(forged + ";"), "the forged id must not be adopted");
        assertEquals(1, sessions.size());
        // still unknown on the next request: the server never learned it
        assertTrue(setCookie(get("/hello", forged)).isPresent());
        assertTrue(setCookie(get("/hello", "starwire_session=not-an-id")).isPresent());
        assertEquals("none", get("/state", forged).body());
        assertEquals(3, sessions.size());
    }

    @Test
    void aSessionCannotBeIssuedOnceTheResponseIsCommitted() throws Exception {
        start(b -> { });
        HttpResponse<String> r = get("/late", null);
        assertEquals(OPENED, r.body());
        assertEquals(Optional.empty(), setCookie(r));
        assertTrue(lateLookup.get().getMessage().contains("before the response is committed"));
        assertEquals(0, sessions.size(), "a session whose cookie cannot be sent is not kept");
    }

    // ------------------------------------------------------------ streams

    @Test
    void everyStreamOfASessionReceivesItsChangesAndOtherSessionsNothing() throws Exception {
        start(b -> { });
        String a = newSession();
        String b = newSession();
        SseClient tab1 = stream(a);
        SseClient tab2 = stream(a);
        SseClient other = stream(b);

        assertEquals(200, post("/set?path=user.name&value=Ana", a, "{}").statusCode());
        assertEquals(signalsEvent("{\"user\":{\"name\":\"Ana\"}}"), tab1.next());
        assertEquals(signalsEvent("{\"user\":{\"name\":\"Ana\"}}"), tab2.next());

        post("/set?path=user.name&value=Bo", b, "{}");
        // the other session's first event is its own change: it never saw session a's
        assertEquals(signalsEvent("{\"user\":{\"name\":\"Bo\"}}"), other.next());

        post("/set?path=count&value=2", a, "{}");
        assertEquals(signalsEvent("{\"count\":\"2\"}"), tab1.next());
        assertEquals(signalsEvent("{\"count\":\"2\"}"), tab2.next());
    }

    @Test
    void theRequestsSignalsAreMergedBeforeTheHandlerRuns() throws Exception {
        start(b -> { });
        String a = newSession();
        SseClient tab = stream(a);
        post("/set?path=messageText&value=", a, "{}");
        assertEquals(signalsEvent("{\"messageText\":\"\"}"), tab.next());

        // the user typed "hi": the handler sees it in the store, and clearing it is sent to every tab
        HttpResponse<String> r = post("/send", a, "{\"messageText\":\"hi\"}");
        assertEquals("hi|hi", r.body());
        assertEquals(signalsEvent("{\"messageText\":\"\"}"), tab.next());

        // a GET carries its signals in the query
        String q = URLEncoder.encode("{\"draft\":{\"title\":\"x\"}}", StandardCharsets.UTF_8);
        assertEquals("{\"messageText\":\"\",\"draft\":{\"title\":\"x\"}}", getSynced("/state", a, q));
    }

    private String getSynced(String path, String cookie, String datastarQuery) throws Exception {
        // /stream syncs; /state only reads. Sync through a stream request, then read the state.
        SseClient s = new SseClient(http, uri("/stream?datastar=" + datastarQuery), cookie);
        cleanup.add(s);
        assertEquals(OPENED, s.next());
        return get(path, cookie).body();
    }

    @Test
    void badSignalsAre400Or413AndLeaveTheStoreUnchanged() throws Exception {
        start(b -> b.maxStoreSize(500), 1000);
        String a = newSession();
        post("/send", a, "{\"keep\":1}");
        String before = get("/state", a).body();
        assertEquals("{\"keep\":1,\"messageText\":\"\"}", before);

        HttpResponse<String> notObject = post("/send", a, "[1,2]");
        assertEquals(400, notObject.statusCode());
        assertEquals("signals must be a JSON object, got an array", notObject.body());

        HttpResponse<String> malformed = post("/send", a, "{\"keep\":");
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().startsWith("signals are not valid JSON"), malformed.body());

        HttpResponse<String> deep = post("/send", a, "{\"a\":".repeat(70) + "1" + "}".repeat(70));
        assertEquals(400, deep.statusCode());
        assertTrue(deep.body().contains("deeper"), deep.body());

        HttpResponse<String> big = post("/send", a, "{\"big\":\"" + "x".repeat(2000) + "\"}");
        assertEquals(413, big.statusCode());

        HttpResponse<String> overStore = post("/send", a, "{\"big\":\"" + "x".repeat(600) + "\"}");
        assertEquals(413, overStore.statusCode());
        assertTrue(overStore.body().contains("limit"), overStore.body());

        assertEquals(before, get("/state", a).body());
        for (HttpResponse<String> r : List.of(notObject, malformed, deep, big, overStore)) {
            assertFalse(r.body().contains("at dev.starwire"), "no stack trace to the client");
        }
    }

    @Test
    void malformedSignalsCreateNoSession() throws Exception {
        start(b -> { });
        HttpResponse<String> r = post("/send", null, "nope");
        assertEquals(400, r.statusCode());
        assertEquals(Optional.empty(), setCookie(r));
        assertEquals(0, sessions.size());
    }

    @Test
    void aConnectedTabGetsTheStateThenEveryChangeAndEndsWithItsSession() throws Exception {
        start(b -> { });
        String a = newSession();
        post("/set?path=user.name&value=Ana", a, "{}");
        SseClient tab = new SseClient(http, uri("/tab"), a);
        cleanup.add(tab);
        assertEquals(signalsEvent("{\"user\":{\"name\":\"Ana\"}}"), tab.next(), "the state first");
        Session session = lastStreamSession.get();
        post("/set?path=count&value=1", a, "{}");
        assertEquals(signalsEvent("{\"count\":\"1\"}"), tab.next());
        // connect() registers the tab right after it subscribed to the store, which may deliver first
        awaitTrue(() -> session.resourceCount() == 1, "the tab is registered with its session");

        session.invalidate();
        assertEquals(SseClient.EOF, tab.next());
        awaitTrue(() -> session.store().listenerCount() == 0, "the tab unsubscribed");
        assertEquals(0, session.resourceCount());
    }

    @Test
    void aTabThatEndsOnItsOwnIsForgottenBySessionAndStore() throws Exception {
        start(b -> { });
        String a = newSession();
        post("/set?path=n&value=0", a, "{}");
        SseClient tab = new SseClient(http, uri("/tab"), a);
        assertEquals(signalsEvent("{\"n\":\"0\"}"), tab.next());
        Session session = lastStreamSession.get();
        tab.close(); // the browser closes the tab
        // the server notices when it next writes to it
        for (int i = 1; session.store().listenerCount() > 0 && i < 2_000; i++) {
            post("/set?path=n&value=" + i, a, "{}");
            Thread.sleep(5);
        }
        assertEquals(0, session.store().listenerCount());
        awaitTrue(() -> session.resourceCount() == 0, "the session forgot the tab");
        assertTrue(session.isOpen(), "the session itself lives on");
    }

    // ------------------------------------------------------------ expiry and eviction

    @Test
    void idleExpiryClosesTheStreamsAndFreesTheStore() throws Exception {
        start(b -> { });
        String a = newSession();
        SseClient tab1 = stream(a);
        Session session = lastStreamSession.get();
        SseClient tab2 = stream(a);
        post("/set?path=n&value=1", a, "{}");
        assertEquals(signalsEvent("{\"n\":\"1\"}"), tab1.next());
        assertEquals(signalsEvent("{\"n\":\"1\"}"), tab2.next());
        assertEquals(2, session.store().listenerCount());

        clock.advance(Duration.ofMinutes(29));
        sessions.sweep();
        assertTrue(session.isOpen(), "29 minutes idle is within the default 30");

        clock.advance(Duration.ofMinutes(1));
        sessions.sweep();
        assertEquals(SseClient.EOF, tab1.next());
        assertEquals(SseClient.EOF, tab2.next());
        assertFalse(session.isOpen());
        assertEquals(0, sessions.size());
        assertEquals(0, session.resourceCount());
        awaitTrue(() -> session.store().listenerCount() == 0, "the streams unsubscribed from the store");

        // the old cookie names nothing any more: a new, empty session is issued
        assertEquals("none", get("/state", a).body());
        HttpResponse<String> r = get("/hello", a);
        assertTrue(setCookie(r).isPresent());
        String fresh = "starwire_session=" + cookieId(r);
        assertEquals("{}", get("/state", fresh).body());
    }

    @Test
    void aRequestKeepsASessionAliveAndExpiredSessionsAreRemovedOnLookupWithoutASweep() throws Exception {
        start(b -> b.idleTimeout(Duration.ofMinutes(10)));
        String a = newSession();
        String b = newSession();
        SseClient tabB = stream(b);
        Session sessionB = lastStreamSession.get();
        clock.advance(Duration.ofMinutes(6));
        get("/hello", a); // a is used, b is not
        clock.advance(Duration.ofMinutes(6));
        assertEquals(Optional.empty(), setCookie(get("/hello", a)), "a was used 6 minutes ago");
        assertEquals(SseClient.EOF, tabB.next(), "b expired on that lookup, closing its stream");
        assertFalse(sessionB.isOpen());
        assertEquals(1, sessions.size());
    }

    @Test
    void aRegistryAtItsLimitEvictsTheLeastRecentlyUsedSession() throws Exception {
        start(b -> b.maxSessions(2));
        String a = newSession();
        String b = newSession();
        SseClient tabB = stream(b);
        get("/hello", a); // a is now more recently used than b
        String c = newSession();
        assertEquals(2, sessions.size());
        assertEquals(SseClient.EOF, tabB.next(), "evicting b closed its stream");
        assertEquals(Optional.empty(), setCookie(get("/hello", a)));
        assertEquals(Optional.empty(), setCookie(get("/hello", c)));
        assertTrue(setCookie(get("/hello", b)).isPresent(), "b was evicted");
    }

    @Test
    void registeringOnAnEndedSessionClosesTheResourceAtOnce() throws Exception {
        start(b -> { });
        String a = newSession();
        stream(a);
        Session s = lastStreamSession.get();
        s.invalidate();
        CountDownLatch closed = new CountDownLatch(1);
        assertFalse(s.register(closed::countDown));
        assertEquals(0, closed.getCount());
        assertTrue(setCookie(get("/hello", a)).isPresent(), "an invalidated session is forgotten");
    }

    @Test
    void theBackgroundSweepEndsIdleSessions() throws Exception {
        start(b -> b.sweepInterval(Duration.ofMillis(50)));
        String a = newSession();
        SseClient tab = stream(a);
        clock.advance(Duration.ofMinutes(31));
        assertEquals(SseClient.EOF, tab.next(), "the sweeper thread ended the session without any request");
        awaitTrue(() -> sessions.size() == 0, "the session is gone");
    }

    private static String cookieId(HttpResponse<?> r) {
        Matcher m = COOKIE.matcher(setCookie(r).orElseThrow());
        assertTrue(m.matches());
        assertNotNull(m.group(1));
        return m.group(1);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
