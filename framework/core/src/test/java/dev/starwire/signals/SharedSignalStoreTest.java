package dev.starwire.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.PatchSignals;
import dev.starwire.session.SessionEndedException;
import dev.starwire.session.SessionUnavailableException;
import dev.starwire.session.spi.CatchUp;
import dev.starwire.session.spi.SharedSignals;
import dev.starwire.session.spi.SignalChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Replicas of one shared store, as on several instances, on an in-process storage whose delivery and
 * failures the tests control: changes reach every replica once and in order, conflicting changes are
 * computed again instead of lost, gaps are caught up, and failures leave the replica unchanged.
 */
class SharedSignalStoreTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The stored copy: versioned signals, every change kept, deliveries queued until {@link #deliver}. */
    static final class Storage {
        ObjectNode signals = JsonNodeFactory.instance.objectNode();
        final List<SignalChange> log = new ArrayList<>();
        final List<Replica> replicas = new ArrayList<>();
        boolean gone;
        boolean down;
        Consumer<SignalChange> beforeCommit = c -> { };
        int keptChanges = Integer.MAX_VALUE;

        synchronized long version() {
            return log.size();
        }

        Replica replica() {
            Replica r = new Replica(this);
            synchronized (this) {
                replicas.add(r);
                r.store = SignalStore.shared(10_000, SignalOwnership.serverOwned("running"), log.size(),
                        signals.deepCopy(), r);
            }
            r.store.onPatch(r.events::add);
            return r;
        }

        /** Hands every queued change to its replica, in order. */
        void deliver() {
            List<Replica> all;
            synchronized (this) {
                all = List.copyOf(replicas);
            }
            for (Replica r : all) {
                r.deliverQueued();
            }
        }
    }

    /** One instance's replica: its store, what its listeners got, and the changes waiting for delivery. */
    static final class Replica implements SharedSignals {
        final Storage storage;
        final List<PatchSignals> events = new ArrayList<>();
        final List<SignalChange> queued = new ArrayList<>();
        SignalStore store;
        Inbound inbound;

        Replica(Storage storage) {
            this.storage = storage;
        }

        @Override
        public void attach(Inbound inbound) {
            this.inbound = inbound;
        }

        @Override
        public Outcome commit(SignalChange change, ObjectNode after) {
            storage.beforeCommit.accept(change);
            synchronized (storage) {
                if (storage.down) {
                    throw new SessionUnavailableException("storage down", new RuntimeException("refused"));
                }
                if (storage.gone) {
                    return Outcome.GONE;
                }
                if (change.version() != storage.log.size() + 1) {
                    return Outcome.CONFLICT;
                }
                storage.log.add(change);
                storage.signals = (ObjectNode) JsonMergePatch.apply(storage.signals, change.change());
                assertEquals(storage.signals, after, "the state after the change, as the replica computed it");
                for (Replica r : storage.replicas) {
                    synchronized (r.queued) {
                        r.queued.add(change);
                    }
                }
                return Outcome.STORED;
            }
        }

        @Override
        public CatchUp catchUp(long version) {
            synchronized (storage) {
                if (storage.down) {
                    throw new SessionUnavailableException("storage down", new RuntimeException("refused"));
                }
                if (storage.gone) {
                    return CatchUp.ended();
                }
                long now = storage.log.size();
                if (now - version > storage.keptChanges) {
                    return CatchUp.state(now, storage.signals.deepCopy(), false);
                }
                return CatchUp.changes(now, storage.log.subList((int) version, (int) now));
            }
        }

        void deliverQueued() {
            List<SignalChange> now;
            synchronized (queued) {
                now = List.copyOf(queued);
                queued.clear();
            }
            now.forEach(inbound::changed);
        }

        List<String> sent() {
            List<String> out = new ArrayList<>();
            for (PatchSignals e : events) {
                out.add(e.signals());
            }
            return out;
        }
    }

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) MAPPER.readTree(s);
    }

    @Test
    void aChangeOnOneReplicaReachesTheListenersOfTheOtherOnceAndInOrder() {
        Storage storage = new Storage();
        Replica a = storage.replica();
        Replica b = storage.replica();
        for (int i = 1; i <= 5; i++) {
            b.store.set("count", i);
        }
        storage.deliver();
        storage.deliver(); // delivering again changes nothing: duplicates are skipped
        List<String> expected = List.of("{\"count\":1}", "{\"count\":2}", "{\"count\":3}", "{\"count\":4}",
                "{\"count\":5}");
        assertEquals(expected, a.sent());
        assertEquals(expected, b.sent(), "the changing replica sends its own changes once too");
        assertEquals(5, a.store.version());
        assertEquals(storage.signals, a.store.snapshot());
    }

    @Test
    void anUpdateBasedOnAnOldVersionIsComputedAgainSoNoIncrementIsLost() {
        Storage storage = new Storage();
        Replica a = storage.replica();
        Replica b = storage.replica();
        a.store.set("count", 10);
        AtomicInteger runs = new AtomicInteger();
        // b has not received a's change yet: its first attempt conflicts, it catches up and computes again
        b.store.update(s -> {
            runs.incrementAndGet();
            s.set("count", s.get("count", Integer.class, 0) + 1);
        });
        assertEquals(2, runs.get());
        assertEquals(11, storage.signals.get("count").asInt());
        storage.deliver();
        assertEquals(List.of("{\"count\":10}", "{\"count\":11}"), a.sent());
        assertEquals(List.of("{\"count\":10}", "{\"count\":11}"), b.sent(),
                "b sent the change it caught up with, then its own, each once");
    }

    @Test
    void twoThreadsOnTwoReplicasLoseNoIncrement() throws Exception {
        Storage storage = new Storage();
        Replica a = storage.replica();
        Replica b = storage.replica();
        CountDownLatch bothBased = new CountDownLatch(2);
        // each replica's first commit waits until both have computed their change on version 0
        storage.beforeCommit = change -> {
            if (change.version() == 1) {
                bothBased.countDown();
                try {
                    bothBased.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Thread ta = new Thread(() -> a.store.update(s -> s.set("n", s.get("n", Integer.class, 0) + 1)));
        Thread tb = new Thread(() -> b.store.update(s -> s.set("n", s.get("n", Integer.class, 0) + 1)));
        ta.start();
        tb.start();
        ta.join(10_000);
        tb.join(10_000);
        assertEquals(0, bothBased.getCount(), "both computed a change on the same version");
        assertEquals(2, storage.signals.get("n").asInt());
        storage.deliver();
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), a.sent());
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), b.sent());
    }

    @Test
    void aGapIsCaughtUpChangeByChange() {
        Storage storage = new Storage();
        Replica a = storage.replica();
        Replica b = storage.replica();
        for (int i = 1; i <= 3; i++) {
            b.store.set("count", i);
        }
        synchronized (a.queued) {
            a.queued.remove(0); // version 1 is lost on its way to a
        }
        storage.deliver();
        assertEquals(List.of("{\"count\":1}", "{\"count\":2}", "{\"count\":3}"), a.sent());
    }

    @Test
    void aReplicaTooFarBehindCatchesUpWithOneEventCarryingTheDifference() {
        Storage storage = new Storage();
        storage.keptChanges = 2;
        Replica a = storage.replica();
        Replica b = storage.replica();
        b.store.update(s -> s.set("x", 1).set("y", 1));
        b.store.set("x", 2);
        b.store.set("y", 2);
        b.store.remove("x");
        synchronized (a.queued) {
            a.queued.clear(); // a missed everything, more than the storage keeps
        }
        a.store.set("z", 1); // conflicts, catches up with the whole state, then stores its change
        assertEquals(List.of("{\"y\":2}", "{\"z\":1}"), a.sent());
        assertEquals(storage.signals, a.store.snapshot());
    }

    @Test
    void aRequestTryingToChangeAServerOwnedSignalIsRestoredOnEveryReplica() throws Exception {
        Storage storage = new Storage();
        Replica a = storage.replica();
        Replica b = storage.replica();
        a.store.set("running", true);
        storage.deliver();
        List<String> refused = b.store.mergeFromClient(json("{\"running\":false,\"text\":\"hi\"}"));
        assertEquals(List.of("running"), refused);
        storage.deliver();
        assertEquals(true, storage.signals.get("running").asBoolean());
        assertEquals("hi", storage.signals.get("text").asText(), "the client-owned value is stored");
        assertEquals(List.of("{\"running\":true}", "{\"running\":true}"), a.sent());
        assertEquals("hi", a.store.get("text", String.class), "a's mirror has the client's value, unsent");
    }

    @Test
    void aClientMergeComparesWithTheNewestStoredSignals() throws Exception {
        Storage storage = new Storage();
        Replica a = storage.replica();
        Replica b = storage.replica();
        b.store.set("running", false);
        // a has not received it; the browser, which did, repeats false: no refusal, a catches up
        assertEquals(List.of(), a.store.mergeFromClient(json("{\"running\":false}")));
        assertEquals(false, a.store.get("running", Boolean.class));
    }

    @Test
    void whileTheStorageIsDownChangesFailAndTheReplicaStaysAsItWas() {
        Storage storage = new Storage();
        Replica a = storage.replica();
        a.store.set("count", 1);
        storage.down = true;
        assertThrows(SessionUnavailableException.class, () -> a.store.set("count", 2));
        assertEquals(1, a.store.get("count", Integer.class));
        assertEquals(List.of("{\"count\":1}"), a.sent());
        storage.down = false;
        a.store.set("count", 2);
        assertEquals(2, storage.signals.get("count").asInt());
    }

    @Test
    void anEndedSessionRefusesChangesButKeepsItsSignalsForReading() {
        Storage storage = new Storage();
        Replica a = storage.replica();
        a.store.set("count", 1);
        storage.gone = true;
        assertThrows(SessionEndedException.class, () -> a.store.set("count", 2));
        assertThrows(SessionEndedException.class, () -> a.store.set("other", 2), "it stays ended");
        assertEquals(1, a.store.get("count", Integer.class));
    }

    @Test
    void theBlockRunsWithoutTheLockHeldDuringTheCommitSoReadsGoOn() throws Exception {
        Storage storage = new Storage();
        Replica a = storage.replica();
        a.store.set("count", 1);
        CountDownLatch inCommit = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        storage.beforeCommit = change -> {
            inCommit.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread writer = new Thread(() -> a.store.set("count", 2));
        writer.start();
        assertTrue(inCommit.await(5, TimeUnit.SECONDS));
        // the writer waits for the storage; another thread still reads and subscribes at once
        assertEquals(1, a.store.get("count", Integer.class));
        List<PatchSignals> late = new ArrayList<>();
        a.store.onPatchWithState(late::add).close();
        assertEquals(1, late.size());
        release.countDown();
        writer.join(10_000);
        assertEquals(2, a.store.get("count", Integer.class));
    }
}
