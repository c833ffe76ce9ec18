package dev.starwire.spring;

import dev.starwire.servlet.ErrorAnswer;
import dev.starwire.servlet.StarwireServlets;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers Starwire's errors in Spring MVC as every adapter does ({@link ErrorAnswer}): unreadable signals 400/413,
 * a refused request 403, a session storage or topic backend that is down 503 with {@code Retry-After}; a plain-text
 * message, never a stack trace; counted in the app's metrics. Other exceptions are left to Spring.
 */
final class ErrorAnswers implements HandlerExceptionResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);
    private final Supplier<StarwireServlets> starwire;

    ErrorAnswers(Supplier<StarwireServlets> starwire) {
        this.starwire = starwire;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception ex) {
        ErrorAnswer answer = starwire.get().errorAnswer(ex, request);
        if (answer == null) {
            return null;
        }
        try {
            answer.send(response);
        } catch (IOException e) {
            LOG.debug("could not send {} to a client that is gone: {}", answer.status(), e.toString());
        }
        return new ModelAndView(); // empty: handled, nothing to render
    }
}
