package dev.starwire.test;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A script the page received and the browser would run: a {@code <script>} that a patch inserted (as a
 * {@link dev.starwire.ExecuteScript} sends it), or a one-shot {@code text/javascript} answer. The kit runs no
 * JavaScript; it records the script.
 *
 * <pre>{@code
 * ReceivedScript s = page.scripts().get(0);
 * assertEquals("alert('hi')", s.code());
 * assertEquals("module", s.attribute("type"));
 * }</pre>
 *
 * @param code       the script's source text
 * @param attributes the tag's attributes in document order
 */
public record ReceivedScript(String code, Map<String, String> attributes) {

    /** Keeps an unmodifiable copy of the attributes. */
    public ReceivedScript {
        Objects.requireNonNull(code, "code");
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** The value of attribute {@code name}, or {@code null} when the tag does not have it. */
    public String attribute(String name) {
        return attributes.get(name);
    }
}
