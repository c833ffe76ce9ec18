package dev.starwire.session.spi;

import dev.starwire.session.SessionUnavailableException;
import java.time.Duration;
import java.util.Optional;

/**
 * SPI: where browser sessions live when several instances share them. Without one, a session registry keeps
 * its sessions in its own memory (the zero-setup default, one instance). With one (e.g.
 * {@code RedisSessionStorage} from {@code starwire-redis}), a session created on one instance is known to
 * all: its signals are stored there, each instance holding one of its tabs keeps a replica, and every change
 * reaches every replica in order.
 *
 * <pre>{@code
 * SessionStorage storage = RedisSessionStorage.fromUrl("redis://127.0.0.1:6379");
 * Sessions sessions = Sessions.builder().storage(storage).build();   // the registry starts and closes it
 * }</pre>
 *
 * <p>Contract: session ids are chosen by the registry (random, 128 bits); a storage never invents or adopts
 * one. {@link #open} returns a session only if the storage holds it and it has not expired, and refreshes its
 * idle time, as does every change, every catch-up and {@link StoredSession#touch}. A session that stays
 * unused for the idle timeout expires in the storage. Methods that wait for the network throw
 * {@link SessionUnavailableException} when the storage cannot be reached, and never hold a lock meanwhile.
 */
public interface SessionStorage extends AutoCloseable {

    /** Called once by the registry that uses this storage, before anything else. */
    void start(Duration idleTimeout);

    /**
     * Stores a new, empty session under {@code id}; empty when that id is already taken (the caller picks
     * another). Its changes are delivered to this instance until it is {@linkplain StoredSession#release()
     * released}.
     */
    Optional<StoredSession> create(String id);

    /**
     * The session {@code id} as stored now, if the storage holds it; from now on its changes are delivered to
     * this instance until it is {@linkplain StoredSession#release() released}.
     */
    Optional<StoredSession> open(String id);

    /** Releases every session of this instance (they stay stored for the other instances) and disconnects. */
    @Override
    void close();
}
