package dev.starwire.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.SseWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server-owned example of docs/signals.md ("Who owns a signal"), byte for byte. */
class OwnershipGuideExampleTest {

    @Test
    void theGuidesOwnershipExample() throws Exception {
        SignalStore store = new SignalStore(SignalStore.DEFAULT_MAX_SIZE,
                SignalOwnership.serverOwned("running", "user.role", "cart"));
        store.set("running", true);
        StringBuilder wire = new StringBuilder();
        store.onPatch(event -> wire.append(new String(SseWriter.encode(event), StandardCharsets.UTF_8)));

        ObjectNode body = (ObjectNode) new ObjectMapper().readTree("{\"running\":false,\"filter\":\"done\"}");
        List<String> refused = store.mergeFromClient(body);

        assertEquals(List.of("running"), refused);
        assertEquals(true, store.get("running", Boolean.class));
        assertEquals("done", store.get("filter", String.class));
        assertEquals("event: datastar-patch-signals\ndata: signals {\"running\":true}\n\n", wire.toString());
    }
}
