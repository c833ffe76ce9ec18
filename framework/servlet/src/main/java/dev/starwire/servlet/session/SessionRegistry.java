package dev.starwire.servlet.session;

import dev.starwire.session.spi.SessionStorage;
import dev.starwire.session.spi.StoredSession;
import dev.starwire.signals.SignalOwnership;
import dev.starwire.signals.SignalStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions of this instance by id, with bounded memory: a session ends when unused for the idle
 * timeout or when it is the least recently used of {@code maxSessions} and a new one needs room. Expired
 * sessions are removed on every lookup and by one shared background sweep, never a thread per session. With a
 * {@link SessionStorage}, a session lives in the storage and this registry holds replicas of the ones used here.
 *
 * <p>Thread-safe; no lock is held while the storage is asked.
 */
final class SessionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);
    /** How long a replica of a stored session stays here without a stream using it. */
    private static final long REPLICA_IDLE_MILLIS = 60_000;

    private final long idleMillis;
    private final long replicaIdleMillis;
    private final int maxSessions;
    private final long maxStoreSize;
    private final SignalOwnership ownership;
    private final SessionStorage storage; // null: sessions live only in this registry
    private final Clock clock;
    private final Supplier<String> newIds;
    private final ScheduledExecutorService sweeper;

    private final Object lock = new Object();
    /** Access-ordered: the eldest entry is the least recently used session. Guarded by {@link #lock}. */
    private final LinkedHashMap<String, Session> byId = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed; // guarded by lock
    /** Stored sessions being opened, so concurrent requests of one session open it once. */
    private final ConcurrentHashMap<String, CompletableFuture<Session>> opening = new ConcurrentHashMap<>();

    SessionRegistry(Sessions.Builder b, Supplier<String> newIds) {
        this.idleMillis = b.idleTimeout.toMillis();
        this.replicaIdleMillis = Math.min(idleMillis, REPLICA_IDLE_MILLIS);
        this.maxSessions = b.maxSessions;
        this.maxStoreSize = b.maxStoreSize;
        this.ownership = b.ownership;
        this.storage = b.storage;
        this.clock = b.clock;
        this.newIds = newIds;
        if (storage != null) {
            storage.start(b.idleTimeout);
        }
        this.sweeper = b.sweepInterval.isZero() ? null : startSweeper(b.sweepInterval);
    }

    private ScheduledExecutorService startSweeper(Duration interval) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "starwire-session-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = interval.toMillis();
        s.scheduleWithFixedDelay(this::sweepSafely, every, every, TimeUnit.MILLISECONDS);
        return s;
    }

    /** The live session {@code id}: this registry's, or else the storage's (opened here); {@code null} when unknown. */
    Session known(String id) {
        List<Session> ended = new ArrayList<>();
        Session session;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the session registry is closed");
            }
            removeExpired(clock.millis(), ended);
            session = byId.get(id);
        }
        endAll(ended);
        if (session != null) {
            touch(session);
        } else if (storage != null) {
            session = openStored(id);
        }
        return session;
    }

    /**
     * Opens the stored session {@code id} here; concurrent requests for it wait for one opening rather than
     * each asking the storage (no lock is held meanwhile). {@code null} when the storage does not know it.
     */
    private Session openStored(String id) {
        CompletableFuture<Session> mine = new CompletableFuture<>();
        CompletableFuture<Session> running = opening.putIfAbsent(id, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
            }
        }
        try {
            Session session = storage.open(id).map(this::add).orElse(null);
            mine.complete(session);
            return session;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            opening.remove(id, mine);
        }
    }

    /** A new session with a fresh id, stored first when the registry has a storage. */
    Session newSession() {
        if (storage == null) {
            return add(freshId(), new SignalStore(maxStoreSize, ownership), null);
        }
        for (int attempt = 0; ; attempt++) {
            Optional<StoredSession> stored = storage.create(freshId());
            if (stored.isPresent()) {
                return add(stored.get());
            }
            if (attempt == 3) {
                throw new IllegalStateException("the session storage refused four fresh random ids in a row");
            }
        }
    }

    private String freshId() {
        synchronized (lock) {
            String id;
            do {
                id = newIds.get();
            } while (byId.containsKey(id));
            return id;
        }
    }

    private Session add(StoredSession stored) {
        SignalStore store = SignalStore.shared(maxStoreSize, ownership, stored.version(), stored.signals(), stored);
        Session session = add(stored.id(), store, stored);
        stored.onEnd(() -> endHere(session)); // invalidated or evicted on any instance
        return session;
    }

    /** Puts a new session in the registry, ending the least recently used ones if it is full. */
    private Session add(String id, SignalStore store, StoredSession stored) {
        List<Session> ended = new ArrayList<>();
        Session session;
        boolean refused;
        synchronized (lock) {
            long now = clock.millis();
            session = new Session(this, id, store, stored, now);
            refused = closed;
            if (!refused) {
                removeExpired(now, ended);
                while (byId.size() >= maxSessions) {
                    Iterator<Session> eldest = byId.values().iterator();
                    ended.add(eldest.next());
                    eldest.remove();
                }
                byId.put(id, session);
            }
        }
        endAll(ended);
        if (refused) {
            session.end();
            throw new IllegalStateException("the session registry is closed");
        }
        return session;
    }

    int size() {
        synchronized (lock) {
            return byId.size();
        }
    }

    /** Ends every session here, stops the sweep and closes the storage (the sessions stay stored). */
    void close() {
        List<Session> ended;
        synchronized (lock) {
            closed = true;
            ended = new ArrayList<>(byId.values());
            byId.clear();
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        endAll(ended);
        if (storage != null) {
            storage.close();
        }
    }

    /** Ends every session idle for at least the idle timeout; the background sweep calls it. */
    void sweep() {
        List<Session> ended = new ArrayList<>();
        synchronized (lock) {
            long now = clock.millis();
            removeExpired(now, ended);
            if (storage != null) {
                // A replica follows every change of its session (one inbox entry per change). One that no
                // stream here uses is let go after a minute: it stays stored, and the next request here
                // opens it again with one round trip.
                Iterator<Session> it = byId.values().iterator();
                while (it.hasNext()) {
                    Session s = it.next();
                    if (now - s.lastAccessMillis >= replicaIdleMillis && s.resourceCount() == 0) {
                        it.remove();
                        ended.add(s);
                    }
                }
            }
        }
        endAll(ended);
    }

    void touch(Session session) {
        boolean toStorage = false;
        synchronized (lock) {
            if (byId.get(session.id) == session) { // get() moves it to the most recently used end
                long now = clock.millis();
                session.lastAccessMillis = now;
                // Changes and catch-ups refresh the stored session's expiry too; a plain use does so at most
                // a few times per idle timeout, so keepalives of many streams do not each cost a round trip.
                if (session.stored() != null && now - session.lastStoredTouchMillis >= idleMillis / 20) {
                    session.lastStoredTouchMillis = now;
                    toStorage = true;
                }
            }
        }
        if (toStorage) {
            session.stored().touch();
        }
    }

    void invalidate(Session session) {
        StoredSession stored = session.stored();
        if (stored != null) {
            stored.delete(); // first: if the storage cannot be reached the session goes on, everywhere
        }
        if (endHere(session)) {
            LOG.debug("session invalidated");
        }
    }

    /** Forgets {@code session} in this registry and ends it here (a stored session stays stored). */
    boolean endHere(Session session) {
        boolean removed;
        synchronized (lock) {
            removed = byId.remove(session.id, session);
        }
        session.end();
        return removed;
    }

    /** Removes the expired sessions into {@code ended}. Caller holds the lock. */
    private void removeExpired(long now, List<Session> ended) {
        // Access order equals last-use order, so the expired sessions are the eldest ones.
        Iterator<Session> it = byId.values().iterator();
        while (it.hasNext()) {
            Session s = it.next();
            if (now - s.lastAccessMillis < idleMillis) {
                break;
            }
            it.remove();
            ended.add(s);
        }
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("session sweep failed", e);
        }
    }

    private static void endAll(List<Session> ended) {
        for (Session s : ended) {
            s.end();
        }
        if (!ended.isEmpty()) {
            LOG.debug("ended {} idle or evicted session(s)", ended.size());
        }
    }
}
