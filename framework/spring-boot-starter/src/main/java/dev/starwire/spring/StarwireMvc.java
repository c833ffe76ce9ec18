package dev.starwire.spring;

import dev.starwire.servlet.StarwireServlets;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Starwire's parts of Spring MVC: the arguments ({@link DatastarSignals} records, {@code Signals},
 * {@code Session}), the CSRF check of Datastar actions, and the answers to Starwire's errors. (The results are
 * put first among Spring's by {@link ReturnValueHandlersFirst}.)
 */
final class StarwireMvc implements WebMvcConfigurer {
    private final Supplier<StarwireServlets> starwire;

    StarwireMvc(ObjectProvider<StarwireServlets> starwire) {
        this.starwire = SingletonSupplier.of(starwire::getObject);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new StarwireArguments(starwire));
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ActionGuard(starwire));
    }

    @Override
    public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
        // after the app's own @ExceptionHandler methods, before nothing else answers these exceptions
        resolvers.add(new ErrorAnswers(starwire));
    }
}
