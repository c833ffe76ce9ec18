package dev.starwire.spring;

import dev.starwire.Signals;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.servlet.session.Session;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.Supplier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Controller arguments read through Starwire: a {@link DatastarSignals} record (strict binding, 400/413 for bad
 * signals), the raw {@link Signals}, and the request's browser {@link Session} (created with its cookie when new,
 * the request's signals merged into its store).
 */
final class StarwireArguments implements HandlerMethodArgumentResolver {
    private final Supplier<StarwireServlets> starwire;

    StarwireArguments(Supplier<StarwireServlets> starwire) {
        this.starwire = starwire;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return isStarwireArgument(parameter);
    }

    static boolean isStarwireArgument(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        return parameter.hasParameterAnnotation(DatastarSignals.class) || type == Signals.class
                || type == Session.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        if (request == null) {
            throw new IllegalStateException("Starwire's arguments need a servlet request");
        }
        Class<?> type = parameter.getParameterType();
        if (type == Session.class) {
            return starwire.get().session(request, webRequest.getNativeResponse(HttpServletResponse.class));
        }
        if (type == Signals.class) {
            return starwire.get().signals(request);
        }
        return starwire.get().signals(request, type);
    }
}
