package ${package};

import ${package}.templates.Templates;
import dev.starwire.DatastarResponse;
import dev.starwire.PatchElements;
import dev.starwire.servlet.StreamHandler;
import dev.starwire.spring.DatastarSignals;
import dev.starwire.templates.PageOptions;
import gg.jte.Content;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The routes: a page ({@code GET /}), an action that reads the page's signals into a record
 * ({@code POST /greet}) and a stream that keeps a live element up to date ({@code GET /clock}).
 */
@Controller
public class HelloController {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Templates templates;
    private final PageOptions page;

    HelloController(Templates templates, PageOptions page) {
        this.templates = templates;
        this.page = page;
    }

    /** The page, rendered by its jte template (a {@code Content} is sent as HTML). */
    @GetMapping("/")
    Content index() {
        return templates.index(page, now());
    }

    /** data-on:submit="@post('/greet')": the signals arrive as a Greet record, the answer patches #greeting. */
    @PostMapping("/greet")
    DatastarResponse greet(@DatastarSignals Greet greet) {
        return DatastarResponse.of(PatchElements.of(templates.greeting(greet.who())));
    }

    /** data-init="@get('/clock')": an open stream that sends the time now and every second. */
    @GetMapping("/clock")
    StreamHandler clock() {
        return stream -> {
            stream.send(PatchElements.of(templates.clock(now())));
            stream.every(Duration.ofSeconds(1), () -> stream.send(PatchElements.of(templates.clock(now()))));
        };
    }

    private static String now() {
        return LocalTime.now().format(TIME);
    }
}
