package dev.starwire.spring;

import dev.starwire.DatastarResponse;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.servlet.StreamHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.core.MethodParameter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The CSRF check of Datastar actions on Spring MVC: a {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
 * to a controller method that is Starwire's (it returns a {@code DatastarResponse} or a {@code StreamHandler}, or
 * takes {@link DatastarSignals}, {@code Signals} or a {@code Session}) is refused with 403 unless it carries
 * {@code Datastar-Request: true} and, with an {@code Origin}, the page's own or an allowed one. It runs before
 * the arguments are read, so a refused request's body is never parsed. The app's other methods (plain form posts,
 * a JSON API) are left to the app's own protection.
 */
final class ActionGuard implements HandlerInterceptor {
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Supplier<StarwireServlets> starwire;
    private final Map<Method, Boolean> starwireMethods = new ConcurrentHashMap<>();

    ActionGuard(Supplier<StarwireServlets> starwire) {
        this.starwire = starwire;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod && MUTATING.contains(request.getMethod())
                && starwireMethods.computeIfAbsent(((HandlerMethod) handler).getMethod(), m -> isStarwire(
                        (HandlerMethod) handler))) {
            starwire.get().guard(request); // RequestRefusedException (403), answered by ErrorAnswers
        }
        return true;
    }

    private static boolean isStarwire(HandlerMethod method) {
        Class<?> result = method.getReturnType().getParameterType();
        if (DatastarResponse.class.isAssignableFrom(result) || StreamHandler.class.isAssignableFrom(result)) {
            return true;
        }
        for (MethodParameter p : method.getMethodParameters()) {
            if (StarwireArguments.isStarwireArgument(p)) {
                return true;
            }
        }
        return false;
    }
}
