package dev.starwire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.SignalsException.Reason;
import dev.starwire.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The signals one Datastar request carried: a JSON object, read once and bound to records on demand.
 *
 * <pre>{@code
 * Signals s = Signals.fromQuery(request.getParameter("datastar"));        // GET, DELETE
 * Signals s = Signals.fromJson(request.getInputStream(), Signals.DEFAULT_MAX_BYTES); // POST, PUT, PATCH
 * Chat chat = s.as(Chat.class);     // strict: a wrong type is a 400, never a silent coercion
 * ObjectNode all = s.tree();        // a copy of the whole object
 * }</pre>
 *
 * <p>Where a request keeps its signals depends on its method and body (the rules of the Datastar 1.0.1
 * client): {@code GET} and {@code DELETE} in the {@code datastar} query parameter, {@code POST}, {@code PUT}
 * and {@code PATCH} in a JSON body, and a form sent with {@code {contentType: 'form'}} as form fields
 * ({@link #fromForm}). A web adapter picks the right factory; in Javalin {@code Datastar.signals(ctx)} does.
 *
 * <p>Anything that is not a JSON object of at most {@value #MAX_DEPTH} levels within the size limit throws
 * a {@link SignalsException} with the status to answer (400 or 413) and a message for the developer; nothing
 * partial is returned. Instances are immutable.
 */
// Why ~390 lines in one class: every way a request carries signals (query, JSON body, form body, form fields)
// ends in the same value and the same precise 400/413 messages; the messages need the parser's and the
// binder's details, so reading and messages stay together. The Jackson configuration is dev.starwire.internal.Json.
public final class Signals {
    /** The default limit for the signals of one request: 1 MiB. */
    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;
    /**
     * The deepest nesting of signals accepted from a client (a scalar has depth 0, {@code {}} depth 1), here and
     * in a signal store, so hostile input cannot exhaust the stack.
     */
    public static final int MAX_DEPTH = 64;
    private static final Signals NONE = new Signals(Json.MAPPER.createObjectNode(), false);
    private static final int MAX_VALUE_IN_MESSAGE = 40;

    private final ObjectNode tree;
    private final boolean form;

    private Signals(ObjectNode tree, boolean form) {
        this.tree = tree;
        this.form = form;
    }

    /** No signals: the empty object (a {@code GET} without the {@code datastar} parameter carries none). */
    public static Signals none() {
        return NONE;
    }

    /**
     * The value of the {@code datastar} query parameter, already URL-decoded; {@code null} (the parameter is
     * absent) reads as {@link #none()}.
     *
     * @throws SignalsException 400 for an empty value or one that is not a JSON object, 413 above 1 MiB
     */
    public static Signals fromQuery(String datastar) {
        return fromQuery(datastar, DEFAULT_MAX_BYTES);
    }

    /** As {@link #fromQuery(String)}, with a size limit in bytes. */
    public static Signals fromQuery(String datastar, long maxBytes) {
        if (datastar == null) {
            return NONE;
        }
        if (datastar.isBlank()) {
            throw new SignalsException(400, Reason.MISSING,
                    "the datastar query parameter is empty: it must hold the signals as"
                    + " a JSON object, e.g. {}");
        }
        byte[] bytes = datastar.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return new Signals(parse(bytes), false);
    }

    /**
     * Reads a JSON request body (UTF-8) of at most {@code maxBytes} bytes.
     *
     * @throws SignalsException 400 for an empty or blank body, malformed JSON, a body that is not an object or
     *     cannot be read to its end (broken chunked framing, fewer bytes than its {@code Content-Length});
     *     413 above {@code maxBytes}
     */
    public static Signals fromJson(InputStream body, long maxBytes) {
        return fromJson(readBody(body, maxBytes));
    }

    /** Parses a JSON request body (UTF-8) already in memory; see {@link #fromJson(InputStream, long)}. */
    public static Signals fromJson(byte[] body) {
        if (body == null || isBlank(body)) {
            throw new SignalsException(400, Reason.MISSING,
                    "the request body is empty: it must hold the signals as a JSON"
                    + " object, e.g. {}");
        }
        return new Signals(parse(body), false);
    }

    /**
     * Reads an {@code application/x-www-form-urlencoded} body (UTF-8) of at most {@code maxBytes} bytes, as
     * a form sent with {@code {contentType: 'form'}} posts it. An empty body is an empty form.
     *
     * @throws SignalsException 400 when it is not valid URL encoding or cannot be read; 413 above the limit
     */
    public static Signals fromFormBody(InputStream body, long maxBytes) {
        byte[] bytes = readBody(body, maxBytes);
        ObjectNode fields = Json.MAPPER.createObjectNode();
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                addField(fields, name, value);
            } catch (IllegalArgumentException e) {
                throw new SignalsException(400, "the form body is not valid URL encoding near '"
                        + shorten(pair) + "'", e);
            }
        }
        return new Signals(fields, true);
    }

    /**
     * Form fields (the parts of a multipart form, or the query of a form sent with GET/DELETE), each name
     * with its values in order. A name with one value becomes a string signal, one with several an array of
     * strings.
     *
     * @throws SignalsException 413 when names and values together exceed {@code maxBytes} UTF-8 bytes
     */
    public static Signals fromForm(Map<String, List<String>> fields, long maxBytes) {
        ObjectNode tree = Json.MAPPER.createObjectNode();
        long size = 0;
        for (Map.Entry<String, List<String>> f : fields.entrySet()) {
            for (String value : f.getValue()) {
                size += utf8Length(f.getKey()) + utf8Length(value) + 2;
                if (size > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                addField(tree, f.getKey(), value);
            }
        }
        return new Signals(tree, true);
    }

    /** A copy of the signals as a Jackson tree. */
    public ObjectNode tree() {
        return tree.deepCopy();
    }

    /** Whether the request carried no signals at all. */
    public boolean isEmpty() {
        return tree.isEmpty();
    }

    /** Whether these signals came from a form (text fields) rather than JSON. */
    public boolean isForm() {
        return form;
    }

    /**
     * Binds the signals to a record or class; signals the type does not name are ignored.
     *
     * <p>JSON signals bind strictly: a string is never turned into a number or a boolean, a number or a
     * boolean never into a string, a fraction never into an integer, and a number must fit its field. The
     * deliberate coercions: an integer fills a floating-point field (JSON has one number type), and a
     * missing signal or {@code null} leaves a primitive field at {@code 0}/{@code false} (use a boxed type
     * to tell them apart). Form signals are text: they are converted to numbers, booleans ({@code true},
     * {@code on} as a checked checkbox sends it, {@code false}, {@code off}) and enums, an empty field is
     * {@code null}, and a single value fills a list.
     *
     * @throws SignalsException 400 naming the signal, the expected type and the value received
     */
    public <T> T as(Class<T> type) {
        Objects.requireNonNull(type, "type");
        ObjectMapper mapper = form ? Json.FORM : Json.STRICT;
        try {
            return mapper.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            throw new SignalsException(400, Reason.WRONG_TYPE, bindingProblem(e, type), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SignalsException(400, Reason.WRONG_TYPE,
                    "signals cannot be bound to " + type.getSimpleName() + ": "
                    + (e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage()
                    : e.getMessage()), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signals && ((Signals) o).form == form && ((Signals) o).tree.equals(tree);
    }

    @Override
    public int hashCode() {
        return tree.hashCode() * 31 + (form ? 1 : 0);
    }

    /** The signals as compact JSON. */
    @Override
    public String toString() {
        return tree.toString();
    }

    // ---- reading ----

    private static byte[] readBody(InputStream body, long maxBytes) {
        if (body == null) {
            return new byte[0];
        }
        // Signals are small: start small and grow, instead of an 8 KiB chunk plus a copy per request.
        long limit = Math.min(maxBytes, Integer.MAX_VALUE - 9L); // the largest array a JVM allows, less one byte
        int cap = (int) limit + 1; // one byte over the limit tells it was crossed
        byte[] bytes = new byte[Math.min(512, cap)];
        int size = 0;
        try {
            int n;
            while ((n = body.read(bytes, size, bytes.length - size)) != -1) {
                size += n;
                if (size > limit) {
                    throw tooLarge(maxBytes);
                }
                if (size == bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(size * 2L, cap));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the client's fault: it closed early, or broke the chunked framing
            throw new SignalsException(400, Reason.UNREADABLE,
                    "the request body could not be read to its end (it was cut short or"
                    + " its framing is broken)", e);
        }
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private static ObjectNode parse(byte[] json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            String problem = constraintProblem(e);
            Reason reason = problem.contains("nested") ? Reason.TOO_DEEP : Reason.MALFORMED;
            throw new SignalsException(400, reason, problem, e);
        } catch (Json.NumberOutOfRange e) {
            throw new SignalsException(400, "signals hold a number too large for a double (such as 1e400)", e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String why = String.valueOf(e.getOriginalMessage());
            if (why.startsWith("Trailing token")) {
                why = "more text follows the JSON object"; // Jackson's wording names its own classes
            }
            throw new SignalsException(400, "signals are not valid JSON" + where + ": " + why, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the bytes are in memory
        }
        if (node == null || node.isMissingNode()) {
            throw new SignalsException(400, Reason.MISSING, "signals are empty: they must be a JSON object, e.g. {}");
        }
        if (!node.isObject()) {
            throw new SignalsException(400, "signals must be a JSON object, got " + describe(node.getNodeType()));
        }
        return (ObjectNode) node;
    }

    private static String constraintProblem(StreamConstraintsException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("NestingDepth") || m.contains("nesting depth")) {
            return "signals are nested deeper than " + MAX_DEPTH + " levels";
        }
        if (m.contains("NumberLength") || m.contains("Number value length")) {
            return "signals hold a number longer than " + Json.MAX_NUMBER_LENGTH + " characters";
        }
        return "signals exceed a limit of the JSON reader: " + e.getOriginalMessage();
    }

    private static void addField(ObjectNode fields, String name, String value) {
        JsonNode seen = fields.get(name);
        if (seen == null) {
            fields.put(name, value);
        } else if (seen.isArray()) {
            ((ArrayNode) seen).add(value);
        } else {
            fields.putArray(name).add(seen).add(value);
        }
    }

    // ---- messages ----

    private String bindingProblem(JsonMappingException e, Class<?> type) {
        StringBuilder path = new StringBuilder();
        JsonNode value = tree;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                value = value == null ? null : value.get(r.getFieldName());
            } else {
                path.append('[').append(r.getIndex()).append(']');
                value = value == null ? null : value.get(r.getIndex());
            }
        }
        if (path.length() == 0) {
            return "signals cannot be bound to " + type.getSimpleName() + ": " + e.getOriginalMessage();
        }
        if (e instanceof MismatchedInputException && ((MismatchedInputException) e).getTargetType() != null) {
            return "signal '" + path + "' must be " + describe(((MismatchedInputException) e).getTargetType())
                    + ", got " + (value == null ? "another type" : describe(value));
        }
        return "signal '" + path + "' cannot be read: " + e.getOriginalMessage();
    }

    private static String describe(Class<?> t) {
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class || t == short.class
                || t == Short.class || t == byte.class || t == Byte.class || t == BigInteger.class) {
            return "an integer (" + t.getSimpleName() + ")";
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class || t == BigDecimal.class) {
            return "a number (" + t.getSimpleName() + ")";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(t) || t == char.class || t == Character.class) {
            return "a string";
        }
        if (t.isEnum()) {
            return "one of " + Arrays.toString(t.getEnumConstants());
        }
        if (t.isArray() || Collection.class.isAssignableFrom(t)) {
            return "an array";
        }
        return "an object (" + t.getSimpleName() + ")";
    }

    private static String describe(JsonNode v) {
        switch (v.getNodeType()) {
            case STRING: return "the string \"" + shorten(v.textValue()) + "\"";
            case NUMBER: return "the number " + shorten(v.asText());
            case BOOLEAN: return String.valueOf(v.booleanValue());
            case NULL: return "null";
            case ARRAY: return "an array";
            case OBJECT: return "an object";
            default: return v.getNodeType().toString().toLowerCase(Locale.ROOT);
        }
    }

    private static String describe(com.fasterxml.jackson.databind.node.JsonNodeType type) {
        switch (type) {
            case ARRAY: return "an array";
            case STRING: return "a string";
            case NUMBER: return "a number";
            case BOOLEAN: return "a boolean";
            case NULL: return "null";
            default: return type.toString().toLowerCase(Locale.ROOT);
        }
    }

    private static String shorten(String s) {
        return s.length() <= MAX_VALUE_IN_MESSAGE ? s : s.substring(0, MAX_VALUE_IN_MESSAGE) + "...";
    }

    private static SignalsException tooLarge(long maxBytes) {
        return new SignalsException(413, "signals are larger than the limit of " + maxBytes + " bytes");
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }
}
