package dev.starwire.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.starwire.ElementPatchMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads every {@code output.txt} of the shared Datastar SDK test cases with the strict parser and checks the
 * parsed events against the case's {@code input.json}. The cases live in {@code shared/datastar-sdk-cases}
 * next to the repository (found by walking up from the working directory); without them the test is skipped.
 */
class SdkCasesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everySdkOutputParsesToItsInput() throws IOException {
        Path cases = findCases();
        Assumptions.assumeTrue(cases != null, "skipped: no shared/datastar-sdk-cases directory found above "
                + System.getProperty("user.dir"));
        List<Path> outputs;
        try (Stream<Path> files = Files.walk(cases)) {
            outputs = files.filter(p -> p.getFileName().toString().equals("output.txt")).sorted().toList();
        }
        assertFalse(outputs.isEmpty(), "no output.txt under " + cases);
        return outputs.stream().map(out -> DynamicTest.dynamicTest(cases.relativize(out.getParent()).toString(),
                () -> check(out)));
    }

    static Path findCases() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("datastar-sdk-cases");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void check(Path output) throws IOException {
        List<ReceivedEvent> events = SseParser.parse(Files.readAllBytes(output));
        Path input = output.resolveSibling("input.json");
        if (!Files.exists(input)) {
            assertFalse(events.isEmpty(), "no events in " + output);
            return;
        }
        JsonNode expected = JSON.readTree(input.toFile()).get("events");
        assertEquals(expected.size(), events.size(), "number of events in " + output);
        for (int i = 0; i < events.size(); i++) {
            compare(expected.get(i), events.get(i));
        }
    }

    private static void compare(JsonNode want, ReceivedEvent got) throws IOException {
        assertEquals(Optional.ofNullable(want.path("eventId").textValue()), got.eventId(), "event id");
        assertEquals(want.path("retryDuration").asLong(1000), got.retryMillis(), "retry");
        switch (want.get("type").asText()) {
            case "patchElements": {
                ReceivedPatchElements p = (ReceivedPatchElements) got;
                assertEquals(want.path("elements").asText(""), p.elements());
                assertEquals(Optional.ofNullable(want.path("selector").textValue()), p.selector());
                assertEquals(want.path("mode").asText("outer"), p.mode().wireName());
                assertEquals(want.path("useViewTransition").asBoolean(false), p.useViewTransition());
                assertEquals(want.path("namespace").asText("html"), p.namespace().wireName());
                break;
            }
            case "patchSignals": {
                ReceivedPatchSignals s = (ReceivedPatchSignals) got;
                JsonNode signals = want.has("signals") ? want.get("signals") : JSON.readTree(want.get("signals-raw").asText());
                assertEquals(signals, s.signals());
                assertEquals(want.path("onlyIfMissing").asBoolean(false), s.onlyIfMissing());
                break;
            }
            case "executeScript": {
                ReceivedPatchElements p = (ReceivedPatchElements) got;
                assertEquals(Optional.of("body"), p.selector());
                assertEquals(ElementPatchMode.APPEND, p.mode());
                Element script = Jsoup.parseBodyFragment(p.elements()).selectFirst("script");
                assertEquals(want.get("script").asText(), script.data());
                List<String> attrs = new ArrayList<>();
                for (Map.Entry<String, JsonNode> a : want.path("attributes").properties()) {
                    assertEquals(a.getValue().asText(), script.attr(a.getKey()), "attribute " + a.getKey());
                    attrs.add(a.getKey());
                }
                boolean autoRemove = want.path("autoRemove").asBoolean(true);
                assertEquals(autoRemove, script.attr("data-effect").equals("el.remove()"), "autoRemove");
                assertTrue(attrs.size() + (autoRemove ? 1 : 0) == script.attributesSize(), "no extra attributes");
                break;
            }
            default:
                throw new AssertionError("unknown case type " + want.get("type"));
        }
    }
}
