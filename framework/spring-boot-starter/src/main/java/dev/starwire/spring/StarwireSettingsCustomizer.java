package dev.starwire.spring;

import dev.starwire.servlet.StarwireSettings;

/**
 * Adjusts the settings of the auto-configured {@code StarwireServlets} after the {@code starwire.*} properties
 * are applied: for what properties cannot say (e.g. a hub on Redis is a {@code Hub} bean instead).
 *
 * <pre>{@code
 * @Bean
 * StarwireSettingsCustomizer origins() {
 *     return settings -> settings.allowedOrigins.add("https://admin.example.com");
 * }
 * }</pre>
 */
@FunctionalInterface
public interface StarwireSettingsCustomizer {
    /** Changes {@code settings} before Starwire is created from them. */
    void customize(StarwireSettings settings);
}
