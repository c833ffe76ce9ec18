package dev.starwire.spring;

import dev.starwire.servlet.StarwireServlets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Puts {@link StarwireResults} before Spring MVC's own result handlers. Handlers added by a
 * {@code WebMvcConfigurer} come after {@code @ResponseBody}'s, which would write a {@code @RestController}'s
 * {@code DatastarResponse} as JSON; Starwire's types are never meant for another handler.
 */
final class ReturnValueHandlersFirst implements BeanPostProcessor {
    private final ObjectProvider<StarwireServlets> starwire;

    ReturnValueHandlersFirst(ObjectProvider<StarwireServlets> starwire) {
        this.starwire = starwire;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof RequestMappingHandlerAdapter) {
            RequestMappingHandlerAdapter adapter = (RequestMappingHandlerAdapter) bean;
            List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>();
            handlers.add(new StarwireResults(SingletonSupplier.of(starwire::getObject)));
            List<HandlerMethodReturnValueHandler> existing = adapter.getReturnValueHandlers();
            if (existing != null) {
                handlers.addAll(existing);
            }
            adapter.setReturnValueHandlers(handlers);
        }
        return bean;
    }
}
