package dev.starwire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Reads the signals a Datastar request carries: the {@code datastar} query parameter of a GET, the JSON
 * body of every other method.
 *
 * <pre>{@code
 * ObjectNode all = Signals.fromQuery(request.getParameter("datastar"));
 * ChatForm form = Signals.bind(Signals.fromBody(in, Signals.DEFAULT_MAX_BYTES), ChatForm.class);
 * }</pre>
 *
 * <p>Absent signals read as an empty object. Anything else that is not a JSON object of at most
 * {@value Json#MAX_DEPTH} levels within the size limit throws a {@link SignalsException} with the status to
 * answer; nothing partial is returned.
 */
public final class Signals {
    /** The default limit for the signals of one request: 1 MiB. */
    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;

    private Signals() {
    }

    /** Parses the URL-decoded value of the {@code datastar} query parameter ({@code null} when absent). */
    public static ObjectNode fromQuery(String datastar) {
        return fromQuery(datastar, DEFAULT_MAX_BYTES);
    }

    /** As {@link #fromQuery(String)}, with a size limit in bytes. */
    public static ObjectNode fromQuery(String datastar, long maxBytes) {
        if (datastar == null || datastar.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        byte[] bytes = datastar.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return parse(bytes);
    }

    /** Reads a JSON request body (UTF-8) of at most {@code maxBytes} bytes. */
    public static ObjectNode fromBody(InputStream body, long maxBytes) {
        if (body == null) {
            return Json.MAPPER.createObjectNode();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = body.read(chunk)) != -1) {
                if (bytes.size() + (long) n > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                bytes.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
        return fromBody(bytes.toByteArray());
    }

    /** Parses a JSON request body (UTF-8) already in memory. */
    public static ObjectNode fromBody(byte[] body) {
        if (body == null || isBlank(body)) {
            return Json.MAPPER.createObjectNode();
        }
        return parse(body);
    }

    /**
     * Binds signals to a record or class (unknown signals are ignored).
     *
     * @throws SignalsException (400) when a signal has the wrong type
     */
    public static <T> T bind(JsonNode signals, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(signals, type);
        } catch (MismatchedInputException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new SignalsException(400, "signal '" + path + "' cannot be read as "
                    + simpleName(e.getTargetType()) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new SignalsException(400, "signals cannot be bound to " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode parse(byte[] json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new SignalsException(400, "signals are nested deeper than " + Json.MAX_DEPTH + " levels", e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new SignalsException(400, "signals are not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!node.isObject()) {
            throw new SignalsException(400, "signals must be a JSON object, got " + describe(node));
        }
        return (ObjectNode) node;
    }

    private static String describe(JsonNode node) {
        switch (node.getNodeType()) {
            case ARRAY: return "an array";
            case STRING: return "a string";
            case NUMBER: return "a number";
            case BOOLEAN: return "a boolean";
            case NULL: return "null";
            default: return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        }
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

    private static String simpleName(Class<?> type) {
        return type == null ? "the expected type" : type.getSimpleName();
    }
}
