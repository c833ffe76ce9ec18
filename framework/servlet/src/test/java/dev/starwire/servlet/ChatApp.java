package dev.starwire.servlet;

import dev.starwire.Component;
import dev.starwire.DatastarResponse;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.hub.Topic;
import gg.jte.html.escape.Escape;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Map;

/** The quick start of docs/servlet.md, exactly as written there. */
public final class ChatApp implements ServletContextListener {
    public record Message(String user, String text) { }

    private final StarwireServlets starwire = StarwireServlets.create();   // in-memory hub, 15 s keepalive
    private final Topic chat = starwire.topic("chat");

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();

        // One stream per tab. A new client gets the empty list, then the last 100 messages; a client that
        // reconnects with Last-Event-ID gets exactly what it missed.
        starwire.register(context, "/chat/stream", starwire.stream(stream ->
                stream.subscribe(chat, 100, () -> stream.send(PatchElements.of("<div id=\"messages\"></div>")))));

        // A Datastar action: CSRF-checked, signals read into the record, one-shot answer.
        starwire.register(context, "/chat/send", starwire.post(Message.class, (request, response, m) -> {
            chat.publish(PatchElements.append("#messages", message(m)));   // stored, then sent to everyone
            return DatastarResponse.of(PatchSignals.of(Map.of("text", "")));  // clear the input
        }));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        starwire.close();   // every open stream is told when to reconnect, then Starwire's threads stop
    }

    static Component message(Message m) {                  // escape user text!
        return out -> {
            out.writeContent("<div class=\"message\"><b>");
            Escape.htmlContent(m.user(), out);
            out.writeContent("</b> ");
            Escape.htmlContent(m.text(), out);
            out.writeContent("</div>");
        };
    }

    StarwireServlets starwire() {
        return starwire;
    }
}
