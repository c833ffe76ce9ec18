package dev.starwire.samples.chat;

import dev.starwire.samples.chat.templates.DynamicTemplates;
import dev.starwire.samples.chat.templates.StaticTemplates;
import dev.starwire.samples.chat.templates.Templates;
import dev.starwire.templates.PageOptions;
import dev.starwire.templates.TemplatesFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The demo's chat on Spring Boot: {@code GET /chat} (the page), {@code GET /join-chat} (a live stream: the last
 * messages, then every new one) and {@code POST /send-message} (a Datastar action). Starwire is set up by
 * {@code starwire-spring-boot-starter}; {@code PORT} and {@code HOST} choose where it listens
 * ({@code application.properties}).
 *
 * <pre>
 * PORT=8080 java -jar samples/spring-chat/target/spring-chat.jar
 * </pre>
 */
@SpringBootApplication
public class ChatApplication {
    /** Starts the app. */
    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }

    /** src/main/jte through its typed facade: precompiled, or reloaded from source when STARWIRE_DEV=true. */
    @Bean
    Templates templates() {
        return TemplatesFactory.create(StaticTemplates::new, DynamicTemplates::new);
    }

    /** The Datastar client from the CDN, pinned with Subresource Integrity. */
    @Bean
    PageOptions pageOptions() {
        return PageOptions.builder().integrity(PageOptions.DATASTAR_1_0_1_INTEGRITY).build();
    }
}
