package dev.starwire.spring;

import dev.starwire.DatastarResponse;
import dev.starwire.PatchElements;
import dev.starwire.PatchSignals;
import dev.starwire.Signals;
import dev.starwire.hub.Topic;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.servlet.StreamHandler;
import dev.starwire.servlet.session.Session;
import gg.jte.Content;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.RestController;

/** An app of controllers using every part of the starter, for the tests of this module. */
@SpringBootApplication
public class TestApp {
    public record Greet(String name) {
    }

    /** A record Spring MVC writes as JSON with its own Jackson (3), beside Starwire's Jackson 2. */
    public record Info(String name, int streams) {
    }

    @Controller
    static class Pages {
        private final Topic news;
        private final StarwireServlets starwire;

        Pages(StarwireServlets starwire) {
            this.starwire = starwire;
            this.news = starwire.topic("news");
        }

        @GetMapping("/page")
        Content page() {
            return out -> out.writeContent("<!doctype html><main id=\"app\" data-signals='{\"name\":\"\"}'>"
                    + "<p id=\"greeting\"></p><ul id=\"news\"></ul></main>");
        }

        @PostMapping("/greet")
        DatastarResponse greet(@DatastarSignals Greet greet) {
            return DatastarResponse.of(PatchElements.inner("#greeting", (dev.starwire.Component) out -> {
                out.writeContent("Hello ");
                gg.jte.html.escape.Escape.htmlContent(greet.name(), out);
            }));
        }

        @DeleteMapping("/toast")
        DatastarResponse toast(Signals signals) {
            return DatastarResponse.of(PatchSignals.of(Map.of("seen", signals.tree().path("id").asInt())));
        }

        @GetMapping("/news")
        StreamHandler news() {
            return stream -> stream.subscribe(news, 10, () -> stream.send(PatchElements.of("<ul id=\"news\"></ul>")));
        }

        @PostMapping("/publish")
        DatastarResponse publish(@DatastarSignals Greet item) {
            news.publish(PatchElements.append("#news", "<li>" + item.name().replaceAll("[^a-z0-9 ]", "") + "</li>")).join();
            return DatastarResponse.noContent();
        }

        @PostMapping("/count")
        DatastarResponse count(Session session) {
            session.store().update(s -> s.set("count", s.get("count", Integer.class, 0) + 1));
            return DatastarResponse.noContent();
        }

        @PostMapping("/plain-form")
        @ResponseBody
        String plainForm() {
            return "ok"; // not Starwire's: no CSRF check of Starwire's
        }

        StarwireServlets starwire() {
            return starwire;
        }
    }

    @RestController
    static class Api {
        private final StarwireServlets starwire;

        Api(StarwireServlets starwire) {
            this.starwire = starwire;
        }

        @GetMapping("/api/info")
        Info info() {
            return new Info("starwire", starwire.openStreams());
        }

        @PostMapping("/api/greet")
        DatastarResponse greet(@DatastarSignals Greet greet) {
            return DatastarResponse.of(PatchSignals.of(Map.of("greeted", greet.name())),
                    PatchElements.of("<p id=\"greeting\">" + greet.name().replaceAll("[^A-Za-z]", "") + "</p>"));
        }
    }
}
