package dev.starwire.spring;

import dev.starwire.DatastarResponse;
import dev.starwire.servlet.Datastar;
import dev.starwire.servlet.StarwireServlets;
import dev.starwire.servlet.StreamHandler;
import gg.jte.Content;
import gg.jte.output.Utf8ByteOutput;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.Supplier;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * What a controller method returns, sent by Starwire: a {@code DatastarResponse} (the one answer to an action:
 * 204, one event, or a short event stream), a {@link StreamHandler} (a long-lived stream, opened on this request
 * and set up by the handler), or a jte {@link Content} such as a typed facade's page (HTML, UTF-8). Chosen by the
 * method's declared return type.
 */
final class StarwireResults implements HandlerMethodReturnValueHandler {
    private final Supplier<StarwireServlets> starwire;

    StarwireResults(Supplier<StarwireServlets> starwire) {
        this.starwire = starwire;
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        Class<?> type = returnType.getParameterType();
        return DatastarResponse.class.isAssignableFrom(type) || StreamHandler.class.isAssignableFrom(type)
                || Content.class.isAssignableFrom(type);
    }

    @Override
    public void handleReturnValue(Object value, MethodParameter returnType, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest) throws Exception {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
        if (request == null || response == null) {
            throw new IllegalStateException("Starwire's results need a servlet request and response");
        }
        if (value == null) {
            throw new IllegalStateException(returnType.getMethod() + " returned null; return "
                    + (StreamHandler.class.isAssignableFrom(returnType.getParameterType())
                    ? "a StreamHandler" : "DatastarResponse.noContent() when there is nothing to send"));
        }
        mavContainer.setRequestHandled(true);
        if (value instanceof DatastarResponse) {
            Datastar.respond(request, response, (DatastarResponse) value);
        } else if (value instanceof StreamHandler) {
            // the stream starts once the handler returns; the request stays open (async) after this method
            starwire.get().openStream(request, response, (StreamHandler) value);
        } else {
            Utf8ByteOutput html = new Utf8ByteOutput();
            ((Content) value).writeTo(html); // rendered first: a template that throws leaves the response alone
            response.setContentType("text/html;charset=UTF-8");
            response.setContentLength(html.getContentLength());
            html.writeTo(response.getOutputStream());
        }
    }
}
