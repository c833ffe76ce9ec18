package dev.starwire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.starwire.hub.Hub;
import dev.starwire.hub.QueueLimits;
import dev.starwire.micrometer.StarwireMetrics;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.servlet.StarwireSettings;
import dev.starwire.servlet.session.Sessions;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the auto-configuration creates, from which properties, and how it backs off for the app's own beans. */
class StarwireAutoConfigurationTest {
    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(StarwireAutoConfiguration.class));

    @Test
    void propertiesReachTheSettingsHubAndSessionsBeforeTheCustomizers() {
        AtomicReference<StarwireSettings> seen = new AtomicReference<>();
        web.withPropertyValues("starwire.keep-alive=7s", "starwire.allowed-origins=https://a.example,https://b.example",
                        "starwire.gzip=true", "starwire.max-signal-bytes=2KB", "starwire.writer-threads=3",
                        "starwire.stall-timeout=9s", "starwire.shutdown-retry=1s", "starwire.close-timeout=500ms",
                        "starwire.trust-forwarded-headers=true", "starwire.hub.max-events=7",
                        "starwire.hub.max-bytes=64KB", "starwire.sessions.server-owned=running")
                .withBean(StarwireSettingsCustomizer.class, () -> s -> {
                    seen.set(copyOf(s));
                    s.allowedOrigins.add("https://c.example");
                })
                .run(context -> {
                    assertTrue(context.getStartupFailure() == null, () -> String.valueOf(context.getStartupFailure()));
                    StarwireSettings s = seen.get();
                    assertEquals(Duration.ofSeconds(7), s.keepAlive);
                    assertEquals(Set.of("https://a.example", "https://b.example"), s.allowedOrigins);
                    assertTrue(s.gzip);
                    assertEquals(2048, s.maxSignalBytes);
                    assertEquals(3, s.writerThreads);
                    assertEquals(Duration.ofSeconds(9), s.stallTimeout);
                    assertEquals(Duration.ofSeconds(1), s.shutdownRetry);
                    assertEquals(Duration.ofMillis(500), s.closeTimeout);
                    assertTrue(s.trustForwardedHeaders);
                    assertEquals(new QueueLimits(7, 64 * 1024), context.getBean(Hub.class).queueLimits());
                    StarwireServlets starwire = context.getBean(StarwireServlets.class);
                    assertSame(context.getBean(Hub.class), starwire.hub());
                    assertSame(context.getBean(Sessions.class), starwire.sessions());
                    assertTrue(context.getBean(MeterBinder.class) instanceof StarwireMetrics);
                });
    }

    @Test
    void withoutPropertiesEverythingHasStarwiresDefaults() {
        web.run(context -> {
            assertEquals(QueueLimits.DEFAULT, context.getBean(Hub.class).queueLimits());
            assertEquals(1, context.getBeansOfType(StarwireServlets.class).size());
        });
    }

    @Test
    void theAppsOwnHubSessionsAndStarwireWin() {
        web.withUserConfiguration(OwnHubAndSessions.class).run(context -> {
            StarwireServlets starwire = context.getBean(StarwireServlets.class);
            assertSame(context.getBean("myHub"), starwire.hub());
            assertSame(context.getBean("mySessions"), starwire.sessions());
            assertEquals(1, context.getBeansOfType(Hub.class).size());
            assertEquals(1, context.getBeansOfType(Sessions.class).size());
        });
        web.withUserConfiguration(OwnStarwire.class).run(context -> {
            assertEquals(1, context.getBeansOfType(StarwireServlets.class).size());
            assertSame(context.getBean("myStarwire"), context.getBean(StarwireServlets.class));
            assertEquals(1, context.getBeansOfType(StarwireMetrics.class).size(), "metrics of the app's own Starwire");
        });
    }

    @Test
    void noMetricsWithoutMicrometerAndNothingOutsideAServletWebApp() {
        web.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run(context -> {
            assertTrue(context.getBeansOfType(StarwireMetrics.class).isEmpty());
            assertEquals(1, context.getBeansOfType(StarwireServlets.class).size());
        });
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(StarwireAutoConfiguration.class))
                .run(context -> assertFalse(context.containsBean("starwireServlets")));
    }

    private static StarwireSettings copyOf(StarwireSettings s) {
        StarwireSettings c = new StarwireSettings();
        c.keepAlive = s.keepAlive;
        c.allowedOrigins.addAll(s.allowedOrigins);
        c.gzip = s.gzip;
        c.maxSignalBytes = s.maxSignalBytes;
        c.writerThreads = s.writerThreads;
        c.stallTimeout = s.stallTimeout;
        c.shutdownRetry = s.shutdownRetry;
        c.closeTimeout = s.closeTimeout;
        c.trustForwardedHeaders = s.trustForwardedHeaders;
        return c;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHubAndSessions {
        @Bean(destroyMethod = "close")
        Hub myHub() {
            return Hub.inMemory();
        }

        @Bean(destroyMethod = "close")
        Sessions mySessions() {
            return Sessions.create();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStarwire {
        @Bean(destroyMethod = "close")
        StarwireServlets myStarwire() {
            return StarwireServlets.create();
        }
    }
}
