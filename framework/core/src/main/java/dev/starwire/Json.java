package dev.starwire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson mapper Starwire uses for signals. Compact output (no line breaks: Jackson escapes control
 * characters inside strings), nesting bounded so hostile input cannot exhaust the stack.
 */
final class Json {
    static final int MAX_DEPTH = 64;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // "{} junk" is malformed, not an empty object followed by ignored bytes
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise signals to JSON: " + e.getOriginalMessage(), e);
        }
    }

    static JsonNode tree(Object value) {
        return value instanceof JsonNode ? (JsonNode) value : MAPPER.valueToTree(value);
    }
}
