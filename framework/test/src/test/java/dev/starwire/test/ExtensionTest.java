package dev.starwire.test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionTest {

    @RegisterExtension
    static final DatastarExtension app = DatastarExtension.forApp(DemoServer::new);

    @Test
    @Order(1)
    void injectsOneFreshClientPerParameter(DatastarClient ana, DatastarClient ben) {
        assertNotSame(ana, ben);
        assertTrue(ana.baseUri().toString().endsWith(":" + app.port()));
        ana.open("/chat");
        ben.open("/chat");
        // separate cookie jars: each got its own session
        assertFalse(ana.cookies().get(0).getValue().equals(ben.cookies().get(0).getValue()));

        ana.stream("/chat/stream");
        ben.stream("/chat/stream");
        ana.awaitSignal("isConnected", true);
        ben.awaitSignal("isConnected", true);
        ben.page().setSignal("messageText", "hi ana");
        ben.post("/chat/send");
        ana.awaitElements("#messages .message", 1).assertThat("#messages .message").hasText("hi ana");
    }

    @Test
    @Order(2)
    void clientsOfTheLastTestWereClosed(DatastarClient c) {
        // the two chat streams of the first test were closed with its clients, so the server drops them
        c.open("/chat").signal("isConnected").isFalse();
        Await.until("no open chat streams on the server", () -> serverSubscribers() == 0);
    }

    private static int serverSubscribers() {
        return ((DemoServer) appServer()).subscriberCount();
    }

    private static RunningApp appServer() {
        return app.running();
    }
}
