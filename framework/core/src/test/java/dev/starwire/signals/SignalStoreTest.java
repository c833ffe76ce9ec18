package dev.starwire.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.PatchSignals;
import dev.starwire.Signals;
import dev.starwire.SignalsException;
import dev.starwire.SseWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SignalStoreTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SignalStore store = new SignalStore();
    private final List<PatchSignals> events = Collections.synchronizedList(new ArrayList<>());

    SignalStoreTest() {
        store.onPatch(events::add);
    }

    private String frames() {
        StringBuilder sb = new StringBuilder();
        for (PatchSignals e : events) {
            sb.append(new String(SseWriter.encode(e), StandardCharsets.UTF_8));
        }
        events.clear();
        return sb.toString();
    }

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) MAPPER.readTree(s);
    }

    // ------------------------------------------------------------ exact event bytes

    @Test
    void setSendsTheValue() {
        store.set("count", 1);
        assertEquals("event: datastar-patch-signals\ndata: signals {\"count\":1}\n\n", frames());
    }

    @Test
    void nestedSetSendsOnlyTheNestedMember() {
        store.set("user.name", "Ana");
        store.set("user.email", "ana@example.com");
        assertEquals("event: datastar-patch-signals\ndata: signals {\"user\":{\"name\":\"Ana\"}}\n\n"
                + "event: datastar-patch-signals\ndata: signals {\"user\":{\"email\":\"ana@example.com\"}}\n\n",
                frames());
        assertEquals("{\"user\":{\"name\":\"Ana\",\"email\":\"ana@example.com\"}}", store.snapshot().toString());
    }

    @Test
    void deleteSendsNull() {
        store.set("user", Map.of("name", "Ana"));
        frames();
        store.remove("user.name");
        assertEquals("event: datastar-patch-signals\ndata: signals {\"user\":{\"name\":null}}\n\n", frames());
        store.set("user", null);
        assertEquals("event: datastar-patch-signals\ndata: signals {\"user\":null}\n\n", frames());
        assertEquals("{}", store.snapshot().toString());
    }

    @Test
    void batchSendsOneMinimalDiff() {
        store.update(s -> s.set("a", 1).set("b", "x").set("user.name", "Ana").set("user.email", "e"));
        frames();
        store.update(s -> {
            s.set("a", 2);
            s.set("a", 3);                 // only the final value is sent
            s.set("b", "x");               // unchanged: left out
            s.remove("user.email");        // nested deletion
            s.set("tmp", 1);
            s.remove("tmp");               // added and removed in the same batch: nothing
            s.set("list", List.of(1, 2));  // arrays are sent whole
        });
        assertEquals("event: datastar-patch-signals\n"
                + "data: signals {\"a\":3,\"user\":{\"email\":null},\"list\":[1,2]}\n\n", frames());
    }

    @Test
    void setIfMissingSendsOnlyIfMissingAndKeepsExistingValues() throws Exception {
        store.set("theme", "light");
        frames();
        store.setIfMissing(json("{\"theme\":\"dark\",\"volume\":5}"));
        assertEquals("event: datastar-patch-signals\ndata: onlyIfMissing true\n"
                + "data: signals {\"theme\":\"dark\",\"volume\":5}\n\n", frames());
        assertEquals("{\"theme\":\"light\",\"volume\":5}", store.snapshot().toString());
        store.setIfMissing("user.name", "Guest");
        assertEquals("event: datastar-patch-signals\ndata: onlyIfMissing true\n"
                + "data: signals {\"user\":{\"name\":\"Guest\"}}\n\n", frames());
        assertEquals("Guest", store.get("user.name", String.class));
    }

    @Test
    void aStringWithALineBreakStaysOnOneDataLine() {
        store.set("text", "a\nb\rc");
        assertEquals("event: datastar-patch-signals\ndata: signals {\"text\":\"a\\nb\\rc\"}\n\n", frames());
    }

    // ------------------------------------------------------------ no event when nothing changes

    @Test
    void changesThatChangeNothingSendNothing() {
        store.set("n", 1);
        frames();
        store.set("n", 1);
        store.set("n", 1L);
        store.remove("missing");
        store.remove("n.deeper");
        store.update(s -> s.set("n", 2).set("n", 1));
        store.update(s -> { });
        store.merge(Map.of("n", 1));
        assertEquals("", frames());
    }

    @Test
    void settingAnObjectSendsOnlyItsChangedMembers() {
        store.set("user", Map.of("name", "Ana", "age", 30));
        frames();
        store.set("user", Map.of("name", "Ana", "age", 31));
        assertEquals("event: datastar-patch-signals\ndata: signals {\"user\":{\"age\":31}}\n\n", frames());
        store.set("user", Map.of("age", 31));
        assertEquals("event: datastar-patch-signals\ndata: signals {\"user\":{\"name\":null}}\n\n", frames());
    }

    @Test
    void nullMembersOfAValueAreNotStored() throws Exception {
        store.set("user", json("{\"name\":\"Ana\",\"email\":null}"));
        assertEquals("{\"user\":{\"name\":\"Ana\"}}", store.snapshot().toString());
        assertEquals("event: datastar-patch-signals\ndata: signals {\"user\":{\"name\":\"Ana\"}}\n\n", frames());
    }

    // ------------------------------------------------------------ client sync

    @Test
    void clientSignalsUpdateTheMirrorWithoutAnEventAndLaterDiffsSeeThem() throws Exception {
        store.set("messageText", "");
        frames();
        store.mergeFromClient(json("{\"messageText\":\"hello\",\"other\":{\"x\":1}}"));
        assertEquals("", frames());
        assertEquals("hello", store.get("messageText", String.class));
        store.set("messageText", ""); // clearing what the user typed must reach the browser
        assertEquals("event: datastar-patch-signals\ndata: signals {\"messageText\":\"\"}\n\n", frames());
    }

    @Test
    void aClientMergeBeyondTheSizeLimitIs413AndChangesNothing() throws Exception {
        SignalStore small = new SignalStore(100);
        small.mergeFromClient(json("{\"a\":\"0123456789\"}"));
        ObjectNode before = small.snapshot();
        SignalsException e = assertThrows(SignalsException.class,
                () -> small.mergeFromClient(json("{\"b\":\"" + "x".repeat(100) + "\"}")));
        assertEquals(413, e.status());
        assertEquals(before, small.snapshot());
        // replacing a value by a smaller one frees room
        small.mergeFromClient(json("{\"a\":null,\"b\":\"" + "x".repeat(60) + "\"}"));
        assertEquals(60, small.get("b", String.class).length());
        assertEquals(JsonWeight.of(small.snapshot()), small.size());
    }

    @Test
    void aClientMergeTooDeepIs400AndChangesNothing() {
        ObjectNode deep = MAPPER.createObjectNode();
        ObjectNode at = deep;
        for (int i = 0; i < Signals.MAX_DEPTH; i++) {
            at = at.putObject("d");
        }
        SignalsException e = assertThrows(SignalsException.class, () -> store.mergeFromClient(deep));
        assertEquals(400, e.status());
        assertEquals("{}", store.snapshot().toString());
    }

    @Test
    void aServerChangeBeyondTheLimitThrowsAndChangesNothing() {
        SignalStore small = new SignalStore(50);
        small.onPatch(events::add);
        assertThrows(IllegalStateException.class, () -> small.set("big", "x".repeat(60)));
        assertEquals("{}", small.snapshot().toString());
        assertEquals("", frames());
    }

    // ------------------------------------------------------------ batches, reentrancy, reads

    @Test
    void aBatchThatThrowsAppliesNothing() {
        store.set("a", 1);
        frames();
        assertThrows(IllegalArgumentException.class, () -> store.update(s -> {
            s.set("a", 2);
            throw new IllegalArgumentException("boom");
        }));
        assertEquals(1, store.get("a", Integer.class));
        assertEquals("", frames());
    }

    @Test
    void changingTheStoreFromAListenerOrBatchIsRefused() {
        AtomicReference<RuntimeException> fromListener = new AtomicReference<>();
        store.onPatch(e -> {
            try {
                store.set("echo", 1);
            } catch (RuntimeException ex) {
                fromListener.set(ex);
            }
        });
        store.set("a", 1);
        assertTrue(fromListener.get() instanceof IllegalStateException);
        assertThrows(IllegalStateException.class, () -> store.update(s -> store.set("b", 1)));
        assertNull(store.get("echo"));
        assertNull(store.get("b"));
    }

    @Test
    void anEditorCannotBeUsedAfterItsBlock() {
        AtomicReference<SignalStore.Editor> leaked = new AtomicReference<>();
        store.update(leaked::set);
        assertThrows(IllegalStateException.class, () -> leaked.get().set("a", 1));
    }

    @Test
    void typedReads() {
        record User(String name, int age) { }
        store.set("user", new User("Ana", 30));
        assertEquals(new User("Ana", 30), store.get("user", User.class));
        assertEquals(30, store.get("user.age", Integer.class));
        assertEquals(7, store.get("missing", Integer.class, 7));
        assertNull(store.get("user.name.deeper"));
        assertThrows(IllegalArgumentException.class, () -> store.get("user.name", Integer.class));
        assertThrows(IllegalArgumentException.class, () -> store.get("user..name"));
        JsonNode copy = store.get("user");
        ((ObjectNode) copy).put("name", "changed");
        assertEquals("Ana", store.get("user.name", String.class));
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        SignalStore s = new SignalStore();
        List<PatchSignals> second = new ArrayList<>();
        s.onPatch(e -> {
            throw new IllegalStateException("client gone");
        });
        s.onPatch(second::add);
        s.set("a", 1);
        assertEquals(1, second.size());
    }

    @Test
    void onPatchWithStateDeliversTheStateFirstAndClosingStopsDeliveries() {
        store.set("a", 1);
        List<PatchSignals> tab = new ArrayList<>();
        SignalSubscription sub = store.onPatchWithState(tab::add);
        store.set("b", 2);
        sub.close();
        sub.close();
        store.set("c", 3);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), tab.stream().map(PatchSignals::signals).toList());
        assertEquals(1, store.listenerCount());
    }

    // ------------------------------------------------------------ concurrency

    @Test
    void eightThreadsTimesTenThousandUpdatesLoseNothingAndThePatchesReplayToTheSnapshot() throws Exception {
        int threads = 8;
        int perThread = 10_000;
        SignalStore shared = new SignalStore();
        List<PatchSignals> first = new ArrayList<>();  // appended under the store's lock
        List<PatchSignals> second = new ArrayList<>();
        shared.onPatch(first::add);
        shared.onPatch(second::add);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        switch (i % 4) {
                            case 0: shared.update(s -> s.set("total", s.get("total", Integer.class, 0) + 1)
                                    .set("last", id)); break;
                            case 1: shared.update(s -> s.set("total", s.get("total", Integer.class, 0) + 1)
                                    .set("t" + id + ".i", n)); break;
                            case 2: shared.update(s -> s.set("total", s.get("total", Integer.class, 0) + 1)
                                    .remove("t" + id + ".tmp")); break;
                            default: shared.update(s -> s.set("total", s.get("total", Integer.class, 0) + 1)
                                    .set("t" + id + ".tmp", List.of(n, id))); break;
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join(120_000);
        }
        assertEquals(List.of(), failures);
        ObjectNode snapshot = shared.snapshot();
        assertEquals(threads * perThread, snapshot.get("total").intValue());
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread - 3, snapshot.path("t" + t).path("i").intValue());
            assertEquals("[" + (perThread - 1) + "," + t + "]", snapshot.path("t" + t).path("tmp").toString());
        }
        // every update changed "total", so every update sent exactly one event
        assertEquals(threads * perThread, first.size());
        assertEquals(first, second);
        JsonNode replay = MAPPER.createObjectNode();
        for (PatchSignals e : first) {
            replay = JsonMergePatch.apply(replay, MAPPER.readTree(e.signals()));
        }
        assertEquals(snapshot, replay);
        assertEquals(JsonWeight.of(snapshot), shared.size());
    }
}
