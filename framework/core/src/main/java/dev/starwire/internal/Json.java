package dev.starwire.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.starwire.Signals;
import java.io.IOException;
import java.util.Locale;

/**
 * Not API: the one Jackson configuration of Starwire's core, for signals read from clients and values written
 * by the server (the signals reader, the event values, the signal store). Compact output (no line breaks:
 * Jackson escapes control characters inside strings), nesting bounded to {@link Signals#MAX_DEPTH} so hostile
 * input cannot exhaust the stack, unknown properties ignored when binding, and a number that does not fit a
 * double (e.g. {@code 1e400}) refused instead of becoming {@code Infinity}. The mappers are configured once
 * and thread-safe. The module does not export this package.
 */
public final class Json {
    /** Jackson's default limit on the digits of one number, stated so the error message can name it. */
    public static final int MAX_NUMBER_LENGTH = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;

    /** Reads and writes trees, and converts between trees and values; used by every parse of client JSON. */
    public static final ObjectMapper MAPPER = base().build();

    /**
     * Binds JSON signals to records without coercion: a string never becomes a number or a boolean, a number
     * or a boolean never becomes a string, a fraction never becomes an integer. Integers do become
     * floating-point numbers (JSON has one number type).
     */
    public static final ObjectMapper STRICT = strict();

    /**
     * Binds form fields (always text) to records: text is converted to numbers, booleans and enums, one
     * value becomes a one-element list, an empty field is {@code null}.
     */
    public static final ObjectMapper FORM = form();

    /** Writes JSON that is also safe inside a {@code <script>} element and a JavaScript string literal. */
    public static final ObjectMapper SCRIPT_SAFE = JsonMapper.builder(new JsonFactoryBuilder()
            .characterEscapes(new ScriptSafeEscapes()).build()).build();

    private Json() {
    }

    private static JsonMapper.Builder base() {
        return JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Signals.MAX_DEPTH).build())
                        .build())
                .nodeFactory(FiniteNumbers.INSTANCE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // "{} junk" is malformed, not an empty object followed by ignored bytes
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private static ObjectMapper strict() {
        ObjectMapper m = base()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        m.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return m;
    }

    private static ObjectMapper form() {
        SimpleModule checkboxes = new SimpleModule("starwire-form");
        checkboxes.addDeserializer(Boolean.class, new FormBoolean(null));
        checkboxes.addDeserializer(boolean.class, new FormBoolean(false));
        ObjectMapper m = base()
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .addModule(checkboxes)
                .build();
        m.coercionConfigDefaults().setCoercion(CoercionInputShape.EmptyString, CoercionAction.AsNull);
        return m;
    }

    /** {@code value} as compact JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise to JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** JSON (a string literal, an object...) that can be pasted into JavaScript inside a script tag. */
    public static String scriptSafe(Object value) {
        try {
            return SCRIPT_SAFE.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise to JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as a tree ({@code value} itself when it is one). */
    public static JsonNode tree(Object value) {
        return value instanceof JsonNode ? (JsonNode) value : MAPPER.valueToTree(value);
    }

    /** A number in client JSON that no double can hold; {@link Signals} answers it with 400. */
    public static final class NumberOutOfRange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NumberOutOfRange() {
            super("a number is too large for a double", null, false, false);
        }
    }

    /** Builds trees like Jackson's factory, but refuses the infinity a too large number parses to. */
    private static final class FiniteNumbers extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;
        static final FiniteNumbers INSTANCE = new FiniteNumbers();

        @Override
        public NumericNode numberNode(double v) {
            if (Double.isInfinite(v)) {
                throw new NumberOutOfRange();
            }
            return super.numberNode(v);
        }

        @Override
        public NumericNode numberNode(float v) {
            if (Float.isInfinite(v)) {
                throw new NumberOutOfRange();
            }
            return super.numberNode(v);
        }
    }

    /** A form's booleans: {@code true}/{@code on} (a checked checkbox) and {@code false}/{@code off}. */
    private static final class FormBoolean extends StdScalarDeserializer<Boolean> {
        private static final long serialVersionUID = 1L;
        private final Boolean empty;

        FormBoolean(Boolean empty) {
            super(Boolean.class);
            this.empty = empty;
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_TRUE || p.currentToken() == JsonToken.VALUE_FALSE) {
                return p.getBooleanValue();
            }
            String text = p.getValueAsString();
            if (text != null) {
                switch (text.trim().toLowerCase(Locale.ROOT)) {
                    case "true":
                    case "on":
                        return Boolean.TRUE;
                    case "false":
                    case "off":
                        return Boolean.FALSE;
                    case "":
                        return empty;
                    default:
                        break;
                }
            }
            return (Boolean) ctxt.handleWeirdStringValue(Boolean.class, String.valueOf(text),
                    "only true, false, on or off");
        }

        @Override
        public Boolean getNullValue(DeserializationContext ctxt) {
            return empty;
        }
    }

    /**
     * Escapes {@code <}, {@code >}, {@code &}, {@code '} and U+2028/U+2029 as {@code \}{@code uXXXX}: the JSON
     * then cannot close a {@code <script>} element, and reads the same as JSON and as JavaScript.
     */
    private static final class ScriptSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] escapes = standardAsciiEscapesForJSON();

        ScriptSafeEscapes() {
            for (char c : new char[] {'<', '>', '&', '\''}) {
                escapes[c] = ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028 || ch == 0x2029) {
                return new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
