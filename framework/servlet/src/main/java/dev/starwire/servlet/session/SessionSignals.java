package dev.starwire.servlet.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starwire.session.SessionEndedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Brings a request's signals into its session's store ({@link Sessions#sync}): the client-owned ones are
 * merged, the server-owned ones refused (the paths reported to {@code onRefused}, the browsers sent the
 * mirror's value back). A shared session that ended in the storage meanwhile is replaced by a new session,
 * which gets the signals instead.
 */
final class SessionSignals {
    private final Sessions sessions;
    private final BiConsumer<HttpServletRequest, List<String>> onRefused;

    SessionSignals(Sessions sessions, BiConsumer<HttpServletRequest, List<String>> onRefused) {
        this.sessions = sessions;
        this.onRefused = onRefused;
    }

    /** The request's session with {@code signals} merged into its store. */
    Session sync(HttpServletRequest request, HttpServletResponse response, ObjectNode signals) {
        Session session = sessions.of(request, response);
        List<String> refused;
        try {
            refused = session.store().mergeFromClient(signals);
        } catch (SessionEndedException gone) {
            // Expired or ended on another instance since this one last saw it: start over with a new session.
            session = sessions.replace(request, response, session);
            refused = session.store().mergeFromClient(signals);
        }
        if (!refused.isEmpty()) {
            onRefused.accept(request, refused);
        }
        return session;
    }
}
