package dev.starwire.test;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Fluent assertions on one signal, read when {@link TestPage#signal(String)} was called. Paths are dotted
 * ({@code user.email}); numbers compare by value ({@code 3} equals {@code 3.0}).
 *
 * <pre>{@code
 * page.signal("isConnected").isTrue();
 * page.signal("updateCount").isEqualTo(3);
 * page.signal("user.email").isMissing();
 * page.signal("user").isEqualTo(Map.of("name", "Ana"));
 * }</pre>
 */
public final class SignalAssert {
    private final String path;
    private final JsonNode value;
    private final String allSignals;

    SignalAssert(String path, JsonNode value, String allSignals) {
        this.path = path;
        this.value = value;
        this.allSignals = allSignals;
    }

    /** The signal is the boolean {@code true}. */
    public SignalAssert isTrue() {
        if (value == null || !value.isBoolean() || !value.booleanValue()) {
            throw fail("to be true");
        }
        return this;
    }

    /** The signal is the boolean {@code false}. */
    public SignalAssert isFalse() {
        if (value == null || !value.isBoolean() || value.booleanValue()) {
            throw fail("to be false");
        }
        return this;
    }

    /** The signal equals {@code expected} (any value Jackson serialises: a number, a string, a map, a record). */
    public SignalAssert isEqualTo(Object expected) {
        JsonNode want = JsonSupport.toTree(expected);
        if (!sameValue(value, want)) {
            throw fail("to be " + JsonSupport.write(want));
        }
        return this;
    }

    /** The signal exists (it may be JSON {@code null}). */
    public SignalAssert exists() {
        if (value == null) {
            throw fail("to exist");
        }
        return this;
    }

    /** The signal does not exist. */
    public SignalAssert isMissing() {
        if (value != null) {
            throw fail("to be missing");
        }
        return this;
    }

    /** The signal's value (a copy), empty when missing. */
    public Optional<JsonNode> value() {
        return Optional.ofNullable(value == null ? null : value.deepCopy());
    }

    static boolean sameValue(JsonNode actual, JsonNode expected) {
        if (actual == null || expected == null) {
            return actual == expected;
        }
        return actual.equals((a, b) -> {
            if (a.isNumber() && b.isNumber()) {
                return a.decimalValue().compareTo(b.decimalValue());
            }
            return a.equals(b) ? 0 : 1;
        }, expected);
    }

    private AssertionError fail(String expectation) {
        String actual = value == null ? "missing" : JsonSupport.write(value);
        return new AssertionError("expected signal '" + path + "' " + expectation + " but it is " + actual
                + "\nsignals: " + allSignals);
    }
}
