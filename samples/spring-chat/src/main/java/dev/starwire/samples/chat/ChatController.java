package dev.starwire.samples.chat;

import dev.starwire.DatastarResponse;
import dev.starwire.ElementPatchMode;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.hub.Topic;
import dev.starwire.samples.chat.templates.Templates;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.servlet.StreamHandler;
import dev.starwire.spring.DatastarSignals;
import dev.starwire.templates.PageOptions;
import gg.jte.Content;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The chat. The hub's topic {@code chat} is its only store: a message is one published event, stored and
 * delivered or neither; a joining browser gets the topic's last {@value #HISTORY} messages, a reconnecting one
 * (with {@code Last-Event-ID}) exactly those it missed.
 */
@Controller
public class ChatController {
    /** How many of the newest messages a joining browser gets. */
    static final int HISTORY = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final Topic chat;
    private final Templates templates;
    private final PageOptions page;

    ChatController(StarwireServlets starwire, Templates templates, PageOptions page) {
        this.chat = starwire.topic("chat");
        this.templates = templates;
        this.page = page;
    }

    /** The page: a jte page of the typed facade, sent as HTML. */
    @GetMapping({"/", "/chat"})
    Content page() {
        return templates.chat(page);
    }

    /** One stream per joined tab: connected, then the welcome and the last messages (or what it missed), then live ones. */
    @GetMapping("/join-chat")
    StreamHandler join() {
        return stream -> {
            stream.send(PatchSignals.of(Map.of("isConnected", true)));
            stream.subscribe(chat, HISTORY, () -> stream.send(PatchElements.builder().selector("#messages")
                    .mode(ElementPatchMode.INNER).elements(templates.chatHistory(now())).build()));
        };
    }

    /** A message: validated (a problem is shown with 200, as the client ignores an error's body), stored, sent. */
    @PostMapping("/send-message")
    DatastarResponse send(@DatastarSignals ChatInput typed) {
        ChatInput input = typed.cleaned();
        String problem = input.problem();
        if (problem != null) {
            return DatastarResponse.of(PatchElements.of(templates.chatError(problem)));
        }
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        try {
            // answered once the store confirmed it, so the sender learns when it was not sent
            chat.publish(PatchElements.append("#messages",
                    templates.chatMessage(id, input.username(), input.messageText(), now()))).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notSent();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return notSent();
        }
        return DatastarResponse.of(PatchSignals.of(Map.of("messageText", "")),
                PatchElements.of(templates.chatError("")));
    }

    private DatastarResponse notSent() {
        return DatastarResponse.of(PatchElements.of(templates.chatError("The message was not sent; try again.")));
    }

    private static String now() {
        return LocalTime.now().format(TIME);
    }
}
