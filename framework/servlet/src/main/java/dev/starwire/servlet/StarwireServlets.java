package dev.starwire.servlet;

import dev.starwire.DatastarResponse;
import dev.starwire.Signals;
import dev.starwire.SignalsException;
import dev.starwire.hub.Hub;
import dev.starwire.hub.HubStats;
import dev.starwire.hub.Topic;
import dev.starwire.servlet.session.Session;
import dev.starwire.servlet.session.Sessions;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starwire on any Jakarta Servlet 6 container: long-lived streams ({@link LiveStream}) fed by a broadcast
 * {@link Hub}, Datastar actions that read their signals into a record and answer with a {@link DatastarResponse},
 * the CSRF check of mutating requests, and browser sessions. One instance serves one app; close it when the app
 * stops, so every browser is told when to reconnect.
 *
 * <pre>{@code
 * StarwireServlets starwire = StarwireServlets.create(cfg -> cfg.keepAlive = Duration.ofSeconds(15));
 * Topic chat = starwire.topic("chat");
 * // in a ServletContextListener's contextInitialized (or before an embedded server starts):
 * starwire.register(context, "/chat/stream", starwire.stream(stream ->
 *         stream.subscribe(chat, () -> stream.send(history()))));
 * starwire.register(context, "/chat/send", starwire.post(Message.class, (req, res, msg) -> {
 *     chat.publish(PatchElements.append("#messages", templates.message(msg)));
 *     return DatastarResponse.of(PatchSignals.of(Map.of("text", "")));
 * }));
 * // in contextDestroyed:
 * starwire.close();
 * }</pre>
 *
 * <p>Servlets of your own use the same parts: {@link #openStream}, {@link #guard}, {@link #signals},
 * {@link #session}, {@link Datastar#respond} and {@link ErrorAnswer}. Mutating requests ({@code POST},
 * {@code PUT}, {@code PATCH}, {@code DELETE}) are answered {@code 403} unless they carry
 * {@code Datastar-Request: true} and, when they have an {@code Origin}, that origin is the page's own or listed in
 * {@link StarwireSettings#allowedOrigins}. Unreadable signals are answered {@code 400}/{@code 413} with a
 * plain-text reason, logged in one rate-limited line. Thread-safe.
 */
public final class StarwireServlets implements AutoCloseable {
    private final StarwireSettings settings;
    private final Hub hub;
    private final boolean ownsHub;
    private final RequestGuard guard;
    private final LiveStreams streams;
    private Sessions sessions;       // guarded by this; created on first use unless configured
    private boolean ownsSessions;    // guarded by this
    private boolean streamsClosed;   // guarded by this
    private boolean closed;          // guarded by this

    private StarwireServlets(StarwireSettings settings, ConnectionControl control) {
        this.settings = settings;
        this.ownsHub = settings.hub == null;
        this.hub = ownsHub ? Hub.inMemory() : settings.hub;
        this.guard = new RequestGuard(settings.allowedOrigins, settings.trustForwardedHeaders);
        this.streams = new LiveStreams(settings, hub, control);
    }

    /** Starwire with the default settings and its own in-memory hub. */
    public static StarwireServlets create() {
        return create(cfg -> { });
    }

    /** Starwire configured by {@code settings}. */
    public static StarwireServlets create(Consumer<StarwireSettings> settings) {
        StarwireSettings s = new StarwireSettings();
        settings.accept(s);
        return create(s, ConnectionControl.NONE);
    }

    /**
     * Starwire with {@code settings} (read now; later changes have no effect) and what the container can do
     * beyond the Servlet API: for adapters, such as the Javalin plugin with Jetty's {@link ConnectionControl}.
     */
    public static StarwireServlets create(StarwireSettings settings, ConnectionControl control) {
        return new StarwireServlets(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(control, "control"));
    }

    // ---- servlets ----

    /**
     * A servlet that opens a {@link LiveStream} and lets {@code handler} set it up; meant for GET
     * ({@code data-init="@get('/stream')"}). On POST, PUT, PATCH and DELETE the CSRF check applies first.
     */
    public HttpServlet stream(StreamHandler handler) {
        return StarwireServlet.stream(this, Objects.requireNonNull(handler, "handler"));
    }

    /** A GET action: signals (from the {@code datastar} query parameter) read into {@code type}. */
    public <T> HttpServlet get(Class<T> type, SignalsAction<T> action) {
        return action("GET", typed(type, action));
    }

    /** A GET action that reads no signals (or reads them itself with {@link #signals}). */
    public HttpServlet get(Action action) {
        return action("GET", action);
    }

    /** A POST action: checked against CSRF, signals (from the JSON or form body) read into {@code type}. */
    public <T> HttpServlet post(Class<T> type, SignalsAction<T> action) {
        return action("POST", typed(type, action));
    }

    /** A POST action that reads no signals; checked against CSRF. */
    public HttpServlet post(Action action) {
        return action("POST", action);
    }

    /** A PUT action; see {@link #post(Class, SignalsAction)}. */
    public <T> HttpServlet put(Class<T> type, SignalsAction<T> action) {
        return action("PUT", typed(type, action));
    }

    /** A PUT action that reads no signals; checked against CSRF. */
    public HttpServlet put(Action action) {
        return action("PUT", action);
    }

    /** A PATCH action; see {@link #post(Class, SignalsAction)}. */
    public <T> HttpServlet patch(Class<T> type, SignalsAction<T> action) {
        return action("PATCH", typed(type, action));
    }

    /** A PATCH action that reads no signals; checked against CSRF. */
    public HttpServlet patch(Action action) {
        return action("PATCH", action);
    }

    /** A DELETE action: checked against CSRF, signals (from the query, as for GET) read into {@code type}. */
    public <T> HttpServlet delete(Class<T> type, SignalsAction<T> action) {
        return action("DELETE", typed(type, action));
    }

    /** A DELETE action that reads no signals; checked against CSRF. */
    public HttpServlet delete(Action action) {
        return action("DELETE", action);
    }

    /**
     * Adds {@code servlet} to {@code context} at {@code path} with what Starwire's servlets need: asynchronous
     * processing (a stream outlives its request thread) and a multipart configuration (forms sent as
     * {@code multipart/form-data}). Call it while the context initializes, e.g. in
     * {@code ServletContextListener.contextInitialized}. Every filter in front of a stream must support
     * asynchronous processing too.
     */
    public ServletRegistration.Dynamic register(ServletContext context, String path, Servlet servlet) {
        ServletRegistration.Dynamic registration = context.addServlet("starwire " + path, servlet);
        if (registration == null) {
            throw new IllegalStateException("a servlet is already registered as 'starwire " + path + "'");
        }
        registration.setAsyncSupported(true);
        registration.setMultipartConfig(new MultipartConfigElement(""));
        registration.addMapping(path);
        return registration;
    }

    // ---- the parts, for servlets of your own ----

    /**
     * Opens a {@link LiveStream} on this request (its servlet must support asynchronous processing), lets
     * {@code handler} set it up, and starts it once the handler returns. On POST, PUT, PATCH and DELETE the
     * CSRF check applies first.
     *
     * @throws RequestRefusedException 403 for a refused mutating request, 503 while the app stops
     * @throws Exception               what the handler threw; nothing was written, so it may still be answered
     *                                 (e.g. with {@link ErrorAnswer})
     */
    public void openStream(HttpServletRequest request, HttpServletResponse response, StreamHandler handler)
            throws Exception {
        openStream(request, response, handler, null);
    }

    /**
     * As {@link #openStream(HttpServletRequest, HttpServletResponse, StreamHandler)}, for an adapter whose web
     * framework completes the exchange: {@code complete} runs once, when the stream has ended and its response
     * may be completed ({@code null}: {@link jakarta.servlet.AsyncContext#complete()}).
     */
    public void openStream(HttpServletRequest request, HttpServletResponse response, StreamHandler handler,
                           Runnable complete) throws Exception {
        Objects.requireNonNull(handler, "handler");
        if (StarwireServlet.isMutating(request.getMethod())) {
            guard.check(request);
        }
        if (streams.stopping()) {
            throw new RequestRefusedException(503, "the server is stopping");
        }
        StreamLifecycle life = new StreamLifecycle(this, request, response);
        try {
            handler.handle(new LiveStream(life));
        } catch (Exception | Error e) {
            life.abandon(); // nothing was written yet
            throw e;
        }
        life.start(complete);
    }

    /**
     * The CSRF check of a mutating request: it passes with {@code Datastar-Request: true} and, when it has an
     * {@code Origin}, the page's own origin or an allowed one.
     *
     * @throws RequestRefusedException 403 with the reason
     */
    public void guard(HttpServletRequest request) {
        guard.check(request);
    }

    /**
     * The request's signals, read once with this app's {@link StarwireSettings#maxSignalBytes} and kept on the
     * request (see {@link SignalsReader} for where they are).
     *
     * @throws SignalsException 400 for missing, malformed or unreadable signals, 413 above the limit
     */
    public Signals signals(HttpServletRequest request) {
        return SignalsReader.read(request, settings.maxSignalBytes, SignalsReader.SERVLET_PARTS);
    }

    /** The request's signals bound to {@code type}, strictly ({@link Signals#as}); see {@link #signals}. */
    public <T> T signals(HttpServletRequest request, Class<T> type) {
        return signals(request).as(type);
    }

    /**
     * The request's browser session, with the signals the request carried merged into its store (call it
     * before writing the response: a new session sets its cookie).
     *
     * @throws SignalsException 400/413 when the request's signals cannot be read
     * @throws dev.starwire.session.SessionUnavailableException when the shared session storage is down
     */
    public Session session(HttpServletRequest request, HttpServletResponse response) {
        return sessions().sync(request, response, signals(request));
    }

    /** The request's session if its cookie names a live one; never creates one. */
    public Optional<Session> findSession(HttpServletRequest request) {
        return sessions().find(request);
    }

    /**
     * Answers {@code error} on {@code response}: the errors Starwire knows with {@link ErrorAnswer}, any other
     * with a logged 500 and a plain message.
     */
    public void answerError(Throwable error, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ErrorAnswer.orInternalError(error, request).send(response);
    }

    // ---- hub, sessions, streams ----

    /** The hub streams subscribe to. */
    public Hub hub() {
        return hub;
    }

    /** The hub's topic called {@code name}. */
    public Topic topic(String name) {
        return hub.topic(name);
    }

    /** The hub's counters: subscribers, queued bytes, published, delivered, evicted. */
    public HubStats stats() {
        return hub.stats();
    }

    /** The session registry: the configured one, or a default one created now. */
    public synchronized Sessions sessions() {
        if (sessions == null) {
            if (settings.sessions != null) {
                sessions = settings.sessions;
            } else {
                sessions = Sessions.create();
                ownsSessions = true;
            }
        }
        return sessions;
    }

    /** Streams open now. */
    public int openStreams() {
        return streams.count();
    }

    /**
     * Tells every open stream when to reconnect and ends it, waiting (at most about
     * {@link StarwireSettings#closeTimeout}) for their last bytes; new streams are refused with 503 from now on.
     * Call it before the container stops accepting requests' bytes; {@link #close()} calls it if needed.
     */
    public void closeStreams() throws InterruptedException {
        synchronized (this) {
            if (streamsClosed) {
                return;
            }
            streamsClosed = true;
        }
        streams.closeAll();
    }

    /** Closes the streams ({@link #closeStreams()}), stops Starwire's threads, and closes what it owns. */
    @Override
    public void close() {
        try {
            closeStreams();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Sessions owned;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            owned = ownsSessions ? sessions : null;
        }
        streams.release();
        if (ownsHub) {
            hub.close();
        }
        if (owned != null) {
            owned.close();
        }
    }

    LiveStreams streams() {
        return streams;
    }

    /** Tasks waiting on the shared timer: for leak checks. */
    int scheduledTasks() {
        return streams.scheduledTasks();
    }

    private HttpServlet action(String method, Action action) {
        return StarwireServlet.action(this, method, Objects.requireNonNull(action, "action"));
    }

    private <T> Action typed(Class<T> type, SignalsAction<T> action) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        return (req, res) -> action.handle(req, res, signals(req, type));
    }
}
