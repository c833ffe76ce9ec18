package dev.starwire.test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The test kit's Jackson mappers: a strict one for the wire and a lenient one for {@code data-signals} values. */
final class JsonSupport {
    static final JsonMapper STRICT = JsonMapper.builder().build();

    /** Attribute values are JavaScript object literals: allow the common non-JSON spellings. */
    static final JsonMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    private JsonSupport() {
    }

    static JsonNode read(JsonMapper mapper, String json) throws JsonProcessingException {
        return mapper.readTree(json);
    }

    static String write(JsonNode node) {
        try {
            return STRICT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree always serialises
        }
    }

    static JsonNode toTree(Object value) {
        return value instanceof JsonNode ? (JsonNode) value : STRICT.valueToTree(value);
    }
}
