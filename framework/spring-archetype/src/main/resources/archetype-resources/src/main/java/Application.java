package ${package};

import ${package}.templates.DynamicTemplates;
import ${package}.templates.StaticTemplates;
import ${package}.templates.Templates;
import dev.starwire.templates.PageOptions;
import dev.starwire.templates.TemplatesFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The app. Starwire is configured by starwire-spring-boot-starter; the routes are in {@link HelloController}.
 * {@code PORT} (default 8080) and {@code HOST} (default 127.0.0.1) come from the environment
 * (application.properties); {@code STARWIRE_DEV=true} reloads the templates from src/main/jte when they change.
 */
@SpringBootApplication
public class Application {
    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
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
