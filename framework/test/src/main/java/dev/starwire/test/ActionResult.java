package dev.starwire.test;

import java.util.List;

/**
 * What a Datastar action got back, after its effects were applied to the client's page (only a 200 answer
 * is applied, as in the 1.0.1 client).
 *
 * <pre>{@code
 * ActionResult r = client.post("/send");
 * assertEquals(200, r.status());
 * ActionResult bad = client.get("/bad?datastar=%7B");
 * assertEquals(400, bad.status());
 * }</pre>
 *
 * @param status      the HTTP status
 * @param contentType the {@code Content-Type} header, {@code ""} when absent
 * @param body        the body as text for a one-shot or error response; {@code ""} for an SSE stream
 * @param events      the SSE events applied, in order (empty for other responses)
 */
public record ActionResult(int status, String contentType, String body, List<ReceivedEvent> events) {

    /** Keeps an unmodifiable copy of the events. */
    public ActionResult {
        events = List.copyOf(events);
    }

    /** Whether the status is 2xx (the client applies the body of a 200 only; 204 changes nothing). */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
