package dev.starwire.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.SseWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worked example of docs/signals.md, byte for byte: if this test changes, update the guide. */
class SignalsGuideExampleTest {

    @Test
    void theGuidesWorkedExample() throws Exception {
        StringBuilder wire = new StringBuilder();
        SignalStore store = new SignalStore();
        store.onPatch(event -> wire.append(new String(SseWriter.encode(event), StandardCharsets.UTF_8)));

        store.setIfMissing(Map.of("count", 0));                       // 1
        store.set("user.name", "Ana");                                // 2
        store.update(s -> {                                           // 3
            s.set("count", s.get("count", Integer.class, 0) + 1);
            s.set("user.email", "ana@example.com");
        });
        ObjectNode fromBrowser = (ObjectNode) new ObjectMapper().readTree("{\"messageText\":\"hello\"}");
        store.mergeFromClient(fromBrowser);                           // no event
        store.update(s -> {                                           // 4
            s.set("messageText", "");
            s.remove("user.email");
        });
        store.set("count", 1);                                        // no event: unchanged
        store.set("tags", List.of("a", "b"));                         // 5

        assertEquals(""
                + "event: datastar-patch-signals\n"
                + "data: onlyIfMissing true\n"
                + "data: signals {\"count\":0}\n"
                + "\n"
                + "event: datastar-patch-signals\n"
                + "data: signals {\"user\":{\"name\":\"Ana\"}}\n"
                + "\n"
                + "event: datastar-patch-signals\n"
                + "data: signals {\"count\":1,\"user\":{\"email\":\"ana@example.com\"}}\n"
                + "\n"
                + "event: datastar-patch-signals\n"
                + "data: signals {\"user\":{\"email\":null},\"messageText\":\"\"}\n"
                + "\n"
                + "event: datastar-patch-signals\n"
                + "data: signals {\"tags\":[\"a\",\"b\"]}\n"
                + "\n", wire.toString());
        assertEquals("{\"count\":1,\"user\":{\"name\":\"Ana\"},\"messageText\":\"\",\"tags\":[\"a\",\"b\"]}",
                store.snapshot().toString());
    }
}
