package dev.starwire;

/**
 * The names of the Datastar 1.0 wire protocol, in one place: event types, the {@code data:} line keys of each
 * event, the request header and query parameter of a Datastar request, and the headers of a one-shot answer.
 * {@link SseWriter} and {@link DatastarResponse} write with them, server adapters read requests with them, and
 * the test kit parses with them.
 *
 * <pre>{@code
 * boolean fromDatastar = "true".equalsIgnoreCase(request.getHeader(DatastarProtocol.REQUEST_HEADER));
 * String signals = request.getParameter(DatastarProtocol.SIGNALS_PARAMETER);
 * }</pre>
 *
 * <p>Each value is pinned by the byte-exact tests of the events and by the official SDK conformance cases, so a
 * wrong name here cannot hide behind code that reads it back with the same constant.
 */
public final class DatastarProtocol {
    // ---- events

    /** The event type that patches elements (and carries scripts). */
    public static final String PATCH_ELEMENTS = "datastar-patch-elements";
    /** The event type that patches signals. */
    public static final String PATCH_SIGNALS = "datastar-patch-signals";

    // ---- data line keys: "data: <key> <value>"

    /** {@code data: selector <css>}: the target of a patch-elements event. */
    public static final String SELECTOR = "selector";
    /** {@code data: mode <mode>}: an {@link ElementPatchMode} other than outer. */
    public static final String MODE = "mode";
    /** {@code data: useViewTransition true}. */
    public static final String USE_VIEW_TRANSITION = "useViewTransition";
    /** {@code data: viewTransitionSelector <css>}. */
    public static final String VIEW_TRANSITION_SELECTOR = "viewTransitionSelector";
    /** {@code data: namespace <ns>}: a {@link Namespace} other than html. */
    public static final String NAMESPACE = "namespace";
    /** {@code data: elements <html line>}, one line per line of HTML. */
    public static final String ELEMENTS = "elements";
    /** {@code data: onlyIfMissing true} of a patch-signals event. */
    public static final String ONLY_IF_MISSING = "onlyIfMissing";
    /** {@code data: signals <json line>}, one line per line of JSON. */
    public static final String SIGNALS = "signals";

    // ---- requests

    /** The header a Datastar action carries: {@code Datastar-Request: true}. */
    public static final String REQUEST_HEADER = "Datastar-Request";
    /** The query parameter holding the signals of a {@code GET} or {@code DELETE} action. */
    public static final String SIGNALS_PARAMETER = "datastar";
    /** The header a reconnecting event stream carries: the id of the last event it received. */
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    // ---- responses

    /** The content type of an event stream. */
    public static final String EVENT_STREAM = "text/event-stream";
    /** One-shot {@code text/html} answer: the target selector. */
    public static final String SELECTOR_HEADER = "datastar-selector";
    /** One-shot {@code text/html} answer: the patch mode. */
    public static final String MODE_HEADER = "datastar-mode";
    /** One-shot {@code text/html} answer: the namespace. */
    public static final String NAMESPACE_HEADER = "datastar-namespace";
    /** One-shot {@code text/html} answer: {@code true} to wrap the patch in a view transition. */
    public static final String USE_VIEW_TRANSITION_HEADER = "datastar-use-view-transition";
    /** One-shot {@code application/json} answer: {@code true} to set only missing signals. */
    public static final String ONLY_IF_MISSING_HEADER = "datastar-only-if-missing";
    /** One-shot {@code text/javascript} answer: the script tag's attributes as a JSON object. */
    public static final String SCRIPT_ATTRIBUTES_HEADER = "datastar-script-attributes";

    private DatastarProtocol() {
    }
}
