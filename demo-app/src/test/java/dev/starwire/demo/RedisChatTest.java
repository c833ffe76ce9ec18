package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.starwire.test.DatastarClient;
import dev.starwire.test.ReceivedStream;
import dev.starwire.testsupport.RedisServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two demo instances sharing the chat topic through a real redis-server (skipped where none is installed). */
class RedisChatTest {
    private RedisServer redis;
    private String url;
    private final List<DemoApp> apps = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
        url = redis.url();
        apps.add(DemoApp.withRedis(url).start("127.0.0.1", 0));
        apps.add(DemoApp.withRedis(url).start("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        apps.forEach(DemoApp::close);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aMessageSentThroughOneInstanceReachesTheClientsOfTheOther() {
        try (DatastarClient onA = DatastarClient.connect("http://127.0.0.1:" + apps.get(0).port());
             DatastarClient onB = DatastarClient.connect("http://127.0.0.1:" + apps.get(1).port())) {
            for (DatastarClient c : List.of(onA, onB)) {
                c.open("/chat?lang=en");
                c.stream("/join-chat?lang=en");
                c.awaitElements("#messages .message", 1);
            }
            onA.page().setSignal("username", "Ana").setSignal("messageText", "through Redis");
            assertEquals(200, onA.submit("form.chat-input").get(0).status());
            onB.awaitElements("#messages .message", 2);
            onA.awaitElements("#messages .message", 2);
            onB.page().assertThat("#messages .message-text").hasText(
                    "Welcome! What you send here reaches everyone who is connected.", "through Redis");
        }
    }

    @Test
    void aBrowserReconnectingToTheOtherInstanceReplaysWhatItMissed() throws Exception {
        try (DatastarClient ana = DatastarClient.connect("http://127.0.0.1:" + apps.get(0).port());
             DatastarClient budi = DatastarClient.connect("http://127.0.0.1:" + apps.get(1).port())) {
            ana.open("/chat?lang=en");
            ReceivedStream s = ana.stream("/join-chat?lang=en");
            ana.awaitElements("#messages .message", 1);
            budi.open("/chat?lang=en");
            budi.page().setSignal("username", "Budi").setSignal("messageText", "seen");
            budi.submit("form.chat-input");
            ana.awaitElements("#messages .message", 2);
            String lastSeen = s.lastEventId().orElseThrow();
            s.close();
            budi.page().setSignal("messageText", "missed");
            budi.submit("form.chat-input");
            // Ana's browser comes back on instance B (e.g. behind a load balancer) with its Last-Event-ID
            try (DatastarClient back = DatastarClient.connect("http://127.0.0.1:" + apps.get(1).port())) {
                back.open("/chat?lang=en");
                back.resume("/join-chat?lang=en", lastSeen);
                back.awaitElements("#messages .message", 1);
                back.page().assertThat("#messages .message-text").hasText("missed");
            }
        }
    }

    @Test
    void theHistoryIsSharedByTheInstancesAndSurvivesARestart() {
        try (DatastarClient ana = DatastarClient.connect("http://127.0.0.1:" + apps.get(0).port())) {
            ana.open("/chat?lang=en");
            ana.page().setSignal("username", "Ana").setSignal("messageText", "kept in Redis");
            assertEquals(200, ana.submit("form.chat-input").get(0).status());
        }
        // a browser joining the other instance gets it in the history
        assertHistory(apps.get(1), "kept in Redis");
        // so does one joining a new instance after both were restarted
        apps.forEach(DemoApp::close);
        apps.clear();
        apps.add(DemoApp.withRedis(url).start("127.0.0.1", 0));
        assertHistory(apps.get(0), "kept in Redis");
    }

    @Test
    void whenRedisIsDownTheSenderIsToldTheMessageWasNotSentAndKeepsItsText() throws Exception {
        try (DatastarClient ana = DatastarClient.connect("http://127.0.0.1:" + apps.get(0).port())) {
            ana.open("/chat?lang=en");
            redis.kill();
            ana.page().setSignal("username", "Ana").setSignal("messageText", "lost?");
            assertEquals(200, ana.submit("form.chat-input").get(0).status());
            ana.page().assertThat("#chat-error").hasText(
                    "The message was not sent: the server could not store it. Please try again.");
            ana.page().signal("messageText").isEqualTo("lost?");
        }
    }

    private static void assertHistory(DemoApp app, String expected) {
        try (DatastarClient c = DatastarClient.connect("http://127.0.0.1:" + app.port())) {
            c.open("/chat?lang=en");
            c.stream("/join-chat?lang=en");
            c.awaitElements("#messages .message", 2);
            c.page().assertThat("#messages .message-text").hasText(
                    "Welcome! What you send here reaches everyone who is connected.", expected);
        }
    }
}
