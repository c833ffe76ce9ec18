package dev.starwire.javalin;

import io.javalin.config.JavalinState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty settings for a server whose connections mostly hold long-lived streams: a bounded thread pool that
 * shrinks after a burst, an idle timeout on every connector, and a timeout for the first request's headers.
 * Javalin's default pool (250 threads) ends one idle thread per minute, so after a burst it stays large for
 * hours; and without a header timeout a client sending a byte every few seconds holds a connection for ever.
 */
final class JettyTuning {
    private static final Logger LOG = LoggerFactory.getLogger(JettyTuning.class);

    private JettyTuning() {
    }

    static void apply(JavalinState state, StarwireConfig config) {
        if (!config.configureJetty) {
            return;
        }
        if (state.jetty.threadPool == null && !state.concurrency.useVirtualThreads) {
            state.jetty.threadPool = threadPool(config);
        }
        state.jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : server.getConnectors()) {
                    tune(server, connector, config);
                }
            }
        }));
    }

    static QueuedThreadPool threadPool(StarwireConfig config) {
        int max = Math.max(4, config.maxThreads);
        QueuedThreadPool pool = new QueuedThreadPool(max, Math.min(8, max), (int) config.threadIdleTimeout.toMillis());
        pool.setName("starwire-http");
        pool.setMaxEvictCount(max); // every thread idle for threadIdleTimeout may end, not one per period
        return pool;
    }

    private static void tune(Server server, Connector connector, StarwireConfig config) {
        if (connector instanceof AbstractConnector c) {
            c.setIdleTimeout(config.idleTimeout.toMillis());
        }
        if (connector instanceof ServerConnector c && c.getAcceptQueueSize() <= 0 && !c.isOpen()) {
            c.setAcceptQueueSize(config.acceptQueueSize); // only where the app left Jetty's default (0: the JDK's 50)
        }
        long headerMillis = config.requestHeaderTimeout.toMillis();
        if (headerMillis > 0) {
            connector.addEventListener(new HeaderTimeout(connector.getScheduler(), headerMillis));
        }
        LOG.debug("{}: idle timeout {}, request header timeout {} ms, pool {}", connector, config.idleTimeout,
                headerMillis, server.getThreadPool());
    }

    /** Closes a connection whose first request's headers have not arrived within the timeout. */
    private static final class HeaderTimeout implements Connection.Listener {
        private final Scheduler scheduler;
        private final long millis;
        private final Map<Connection, Scheduler.Task> due = new ConcurrentHashMap<>();

        HeaderTimeout(Scheduler scheduler, long millis) {
            this.scheduler = scheduler;
            this.millis = millis;
        }

        @Override
        public void onOpened(Connection connection) {
            due.put(connection, scheduler.schedule(() -> check(connection), millis, TimeUnit.MILLISECONDS));
        }

        @Override
        public void onClosed(Connection connection) {
            Scheduler.Task task = due.remove(connection);
            if (task != null) {
                task.cancel();
            }
        }

        private void check(Connection connection) {
            due.remove(connection);
            // getMessagesIn counts requests whose headers were parsed (Jetty's HTTP/1.1 connection).
            if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
                LOG.debug("closing {}: no complete request headers within {} ms", connection, millis);
                connection.getEndPoint().close();
            }
        }
    }
}
