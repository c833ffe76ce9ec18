package dev.starwire.spring;

import dev.starwire.hub.Hub;
import dev.starwire.micrometer.StarwireMetrics;
import dev.starwire.servlet.ConnectionControl;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.servlet.StarwireSettings;
import dev.starwire.servlet.session.Sessions;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Starwire on Spring MVC, configured by itself in a servlet web application: a {@link Hub}, the browser
 * {@link Sessions} and {@link StarwireServlets} from the {@code starwire.*} properties ({@link StarwireProperties}),
 * controller methods that answer with a {@code DatastarResponse}, open a stream by returning a
 * {@code StreamHandler}, take {@link DatastarSignals} records, {@code Signals} or a {@code Session}, and return jte
 * pages ({@code gg.jte.Content}, e.g. a typed facade's {@code JteModel}); the CSRF check of those methods; the
 * answers to Starwire's errors; the metrics ({@link StarwireMetrics}) when Micrometer is there; and a shutdown
 * that tells every stream when to reconnect before the web server stops.
 *
 * <p>Every bean backs off when the application defines its own of that type: a {@code Hub} on Redis, its own
 * {@code Sessions}, or a whole {@code StarwireServlets}. See {@code docs/spring.md}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, StarwireServlets.class})
@EnableConfigurationProperties(StarwireProperties.class)
public class StarwireAutoConfiguration {
    /** Made by Spring. */
    public StarwireAutoConfiguration() {
    }

    /** An in-memory hub with the {@code starwire.hub.*} limits (unless the app has its own); closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean({Hub.class, StarwireServlets.class})
    public Hub starwireHub(StarwireProperties properties) {
        return Hub.builder().backend(properties.backend()).queueLimits(properties.queueLimits()).build();
    }

    /** The browser sessions with the {@code starwire.sessions.*} settings; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean({Sessions.class, StarwireServlets.class})
    public Sessions starwireSessions(StarwireProperties properties) {
        return properties.sessionsBuilder().build();
    }

    /**
     * Starwire on the app's hub and sessions, with the {@code starwire.*} settings and then every
     * {@link StarwireSettingsCustomizer}; closed with the context (the hub and sessions are closed as beans).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public StarwireServlets starwireServlets(StarwireProperties properties, Hub hub, Sessions sessions,
                                             ObjectProvider<StarwireSettingsCustomizer> customizers) {
        StarwireSettings settings = new StarwireSettings();
        properties.applyTo(settings);
        settings.hub = hub;
        settings.sessions = sessions;
        customizers.orderedStream().forEach(c -> c.customize(settings));
        return StarwireServlets.create(settings, ConnectionControl.NONE);
    }

    /** Ends every stream (with its reconnect hint) when the context closes, before the web server stops. */
    @Bean
    public ApplicationListener<ContextClosedEvent> starwireStreamsShutdown(StarwireServlets starwire,
                                                                          ApplicationContext context) {
        return new StreamsShutdown(starwire, context);
    }

    /** Controller methods: signals, sessions and streams as arguments; answers, streams and pages as results. */
    @Bean
    public WebMvcConfigurer starwireWebMvcConfigurer(ObjectProvider<StarwireServlets> starwire) {
        return new StarwireMvc(starwire);
    }

    /**
     * Puts Starwire's result handlers first in Spring MVC, before {@code @ResponseBody}'s, so a
     * {@code @RestController} method's {@code DatastarResponse} is sent as events, not as JSON.
     */
    @Bean
    public static BeanPostProcessor starwireReturnValueHandlers(ObjectProvider<StarwireServlets> starwire) {
        return new ReturnValueHandlersFirst(starwire);
    }

    /** The meters of {@link StarwireMetrics}, bound by Spring Boot to every registry (shown by the actuator). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        StarwireMetrics starwireMetrics(StarwireServlets starwire) {
            return StarwireMetrics.of(starwire);
        }
    }
}
