package dev.starwire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Action answers on a connection the container closes after a few requests (Tomcat closes one after
 * {@code max-keep-alive-requests}, 100 by default; 2 here): the container's {@code Connection: close} is the answer's
 * only {@code Connection} value, so a client that keeps its connections (the JDK's, which reads the first value)
 * opens a new one instead of sending the next request on the closed one.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.tomcat.max-keep-alive-requests=2")
class ConnectionReuseTest {
    @LocalServerPort
    int port;

    @Test
    void everyActionAnswerOnAClosingConnectionSaysCloseOnlyAndTheNextRequestSucceeds() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int closing = 0;
        for (int i = 0; i < 9; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/greet"))
                    .header("Content-Type", "application/json").header("Datastar-Request", "true")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Bo" + i + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
                    "an event-stream answer: " + r.headers());
            List<String> connection = r.headers().allValues("Connection");
            assertFalse(connection.stream().anyMatch(v -> v.equalsIgnoreCase("keep-alive")), "answer " + i + ": " + connection);
            if (connection.stream().anyMatch(v -> v.equalsIgnoreCase("close"))) {
                closing++;
            }
        }
        assertTrue(closing >= 4, "the container closed every second connection: " + closing + " of 9 answers said so");
    }
}
