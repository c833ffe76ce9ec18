package dev.starwire.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.PatchSignals;
import dev.starwire.SseWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Server-owned signals: what a request may change, what it may not, and how the browser gets it back. */
class SignalOwnershipTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SignalStore store = new SignalStore(SignalStore.DEFAULT_MAX_SIZE,
            SignalOwnership.serverOwned("running", "user.role", "cart"));
    private final List<PatchSignals> events = new ArrayList<>();

    SignalOwnershipTest() throws Exception {
        store.update(s -> s.set("running", true).set("user.role", "reader").set("user.name", "Ana")
                .set("filter", "all"));
        store.set("cart", json("{\"total\":30,\"items\":[\"tea\"]}"));
        store.onPatch(events::add);
    }

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) MAPPER.readTree(s);
    }

    private String frames() {
        StringBuilder sb = new StringBuilder();
        for (PatchSignals e : events) {
            sb.append(new String(SseWriter.encode(e), StandardCharsets.UTF_8));
        }
        events.clear();
        return sb.toString();
    }

    @Test
    void aRequestCarryingAServerOwnedSignalLeavesTheMirrorAndTheNextPatchRestoresIt() throws Exception {
        ObjectNode before = store.snapshot();
        List<String> refused = store.mergeFromClient(json("{\"running\":false}"));
        assertEquals(List.of("running"), refused);
        assertEquals(before, store.snapshot(), "the mirror is unchanged");
        // the very next event gives the browsers the server's value back
        assertEquals("event: datastar-patch-signals\ndata: signals {\"running\":true}\n\n", frames());
    }

    @Test
    void clientOwnedSignalsStillMergeInTheSameRequest() throws Exception {
        List<String> refused = store.mergeFromClient(json("{\"running\":false,\"filter\":\"done\",\"text\":\"hi\"}"));
        assertEquals(List.of("running"), refused);
        assertEquals("done", store.get("filter", String.class));
        assertEquals("hi", store.get("text", String.class));
        assertTrue(store.get("running", Boolean.class));
        // only the restore is sent: merged client values are never echoed
        assertEquals("event: datastar-patch-signals\ndata: signals {\"running\":true}\n\n", frames());
        // later server changes are diffed against what the client sent
        store.set("text", "");
        assertEquals("event: datastar-patch-signals\ndata: signals {\"text\":\"\"}\n\n", frames());
    }

    @Test
    void aRequestRepeatingTheServersValueIsNotARefusal() throws Exception {
        // Datastar sends every signal with every request, the server-owned ones included.
        List<String> refused = store.mergeFromClient(json(
                "{\"running\":true,\"user\":{\"role\":\"reader\",\"name\":\"Bo\"},\"cart\":{\"total\":30}}"));
        assertEquals(List.of(), refused);
        assertEquals("Bo", store.get("user.name", String.class));
        assertEquals("", frames());
    }

    @Test
    void nestedPathsProtectOneMemberAndASubtreeProtectsEverythingBelowIt() throws Exception {
        List<String> refused = store.mergeFromClient(json(
                "{\"user\":{\"name\":\"Bo\",\"role\":\"admin\"},\"cart\":{\"total\":0,\"coupon\":\"FREE\"}}"));
        assertEquals(List.of("user.role", "cart"), refused);
        assertEquals("Bo", store.get("user.name", String.class), "user.name is client-owned");
        assertEquals("reader", store.get("user.role", String.class));
        assertEquals(json("{\"total\":30,\"items\":[\"tea\"]}"), store.get("cart"));
        assertEquals("event: datastar-patch-signals\ndata: signals "
                + "{\"user\":{\"role\":\"reader\"},\"cart\":{\"total\":30,\"items\":[\"tea\"]}}\n\n", frames());
    }

    @Test
    void replacingOrDeletingAnObjectThatHoldsServerOwnedSignalsIsRefusedWhole() throws Exception {
        assertEquals(List.of("user"), store.mergeFromClient(json("{\"user\":\"nobody\"}")));
        assertEquals(List.of("user", "running"), store.mergeFromClient(json("{\"user\":null,\"running\":null}")));
        assertEquals("reader", store.get("user.role", String.class));
        assertEquals("Ana", store.get("user.name", String.class));
        assertTrue(store.get("running", Boolean.class));
    }

    @Test
    void aServerOwnedSignalTheServerHasNotSetIsIgnoredWithoutARestore() throws Exception {
        SignalStore fresh = new SignalStore(1000, SignalOwnership.serverOwned("running"));
        List<PatchSignals> sent = new ArrayList<>();
        fresh.onPatch(sent::add);
        // e.g. a page declaring a default for display: nothing to protect, nothing to restore
        assertEquals(List.of(), fresh.mergeFromClient(json("{\"running\":true,\"name\":\"Ana\"}")));
        assertEquals(json("{\"name\":\"Ana\"}"), fresh.snapshot());
        assertEquals(List.of(), sent);
        // the server's first value is then sent, since the mirror did not have one
        fresh.set("running", true);
        assertEquals(1, sent.size());
    }

    @Test
    void serverCodeChangesServerOwnedSignals() {
        store.set("running", false);
        store.update(s -> s.set("user.role", "admin"));
        assertEquals("event: datastar-patch-signals\ndata: signals {\"running\":false}\n\n"
                + "event: datastar-patch-signals\ndata: signals {\"user\":{\"role\":\"admin\"}}\n\n", frames());
    }

    @Test
    void localSignalsFromARequestAreNeverMirroredAtAnyLevel() throws Exception {
        List<String> refused = store.mergeFromClient(json(
                "{\"_open\":true,\"form\":{\"_dirty\":true,\"text\":\"x\"},\"_running\":false}"));
        assertEquals(List.of(), refused);
        assertEquals(json("{\"text\":\"x\"}"), store.get("form"));
        assertFalse(store.snapshot().has("_open"));
        assertEquals("", frames());
    }

    @Test
    void serverCodeCannotPutALocalSignalInTheStore() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.set("_open", true));
        assertTrue(e.getMessage().contains("'_open' is local"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.set("form._dirty", true));
        assertThrows(IllegalArgumentException.class, () -> store.set("form", Map.of("_dirty", true)));
        assertThrows(IllegalArgumentException.class, () -> store.setIfMissing("_x", 1));
        assertFalse(store.snapshot().has("form"));
        assertEquals("", frames());
    }

    @Test
    void declarations() {
        SignalOwnership own = SignalOwnership.serverOwned("running", "user.role");
        assertTrue(own.isServerOwned("running"));
        assertTrue(own.isServerOwned("user.role"));
        assertTrue(own.isServerOwned("user.role.level"));
        assertFalse(own.isServerOwned("user"));
        assertFalse(own.isServerOwned("user.name"));
        assertEquals(List.of("running", "user.role"), own.serverOwnedPaths());
        assertFalse(SignalOwnership.clientOwned().isServerOwned("running"));
        assertThrows(IllegalArgumentException.class, () -> SignalOwnership.serverOwned("_local"));
        assertThrows(IllegalArgumentException.class, () -> SignalOwnership.serverOwned("a..b"));
    }
}
