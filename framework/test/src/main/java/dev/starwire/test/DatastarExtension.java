package dev.starwire.test;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts your app on a free port and injects {@link DatastarClient}s into test
 * methods; each parameter is a fresh client (own cookies, own page), closed after the test.
 *
 * <pre>{@code
 * class ChatTest {
 *     @RegisterExtension
 *     static final DatastarExtension app = DatastarExtension.forApp(() -> {
 *         Javalin j = ChatApp.create().start("127.0.0.1", 0);
 *         return RunningApp.of(j.port(), j::stop);
 *     });
 *
 *     @Test
 *     void twoUsersChat(DatastarClient ana, DatastarClient ben) { ... }
 * }
 * }</pre>
 *
 * <p>Registered on a static field, the app runs once for the class; on an instance field, once per test.
 * Tests of one class must not run concurrently.
 */
public final class DatastarExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private final RunningApp.Starter starter;
    private final List<DatastarClient> testClients = new CopyOnWriteArrayList<>();
    private final List<DatastarClient> classClients = new CopyOnWriteArrayList<>();
    private volatile RunningApp app;
    private volatile boolean perClass;

    private DatastarExtension(RunningApp.Starter starter) {
        this.starter = Objects.requireNonNull(starter, "starter");
    }

    /** An extension that starts the app with {@code starter}. */
    public static DatastarExtension forApp(RunningApp.Starter starter) {
        return new DatastarExtension(starter);
    }

    /** The running app's port. */
    public int port() {
        return running().port();
    }

    /** The running app's base address, {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** A new client for the running app, closed after the current test (or class, from {@code @BeforeAll}). */
    public DatastarClient newClient() {
        DatastarClient c = new DatastarClient(baseUri());
        (inTest ? testClients : classClients).add(c);
        return c;
    }

    private volatile boolean inTest;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeAll(classClients);
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        inTest = true;
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        inTest = false;
        closeAll(testClients);
        if (!perClass) {
            stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DatastarClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return newClient();
    }

    private void start() throws Exception {
        if (app == null) {
            RunningApp started = starter.start();
            if (started == null) {
                throw new IllegalStateException("the app starter returned null");
            }
            app = started;
        }
    }

    private void stop() {
        RunningApp a = app;
        app = null;
        if (a != null) {
            a.close();
        }
    }

    /** The running app, as its starter returned it (cast to your own {@link RunningApp} type if you need more). */
    public RunningApp running() {
        RunningApp a = app;
        if (a == null) {
            throw new IllegalStateException("the app is not running (is the extension registered with"
                    + " @RegisterExtension?)");
        }
        return a;
    }

    private static void closeAll(List<DatastarClient> clients) {
        for (DatastarClient c : clients) {
            c.close();
        }
        clients.clear();
    }
}
