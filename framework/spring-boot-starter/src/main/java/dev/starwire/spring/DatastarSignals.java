package dev.starwire.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a controller method's parameter to the request's Datastar signals: a record (or class) read strictly from
 * the JSON the Datastar client sends ({@code GET}/{@code DELETE}: the {@code datastar} query parameter; {@code POST},
 * {@code PUT}, {@code PATCH}: the body; forms too), with the app's {@code starwire.max-signal-bytes}.
 *
 * <pre>{@code
 * public record ChatInput(String username, String messageText) { }
 *
 * @PostMapping("/send-message")
 * DatastarResponse send(@DatastarSignals ChatInput input) {
 *     chat.publish(PatchElements.append("#messages", templates.message(input)));
 *     return DatastarResponse.of(PatchSignals.of(Map.of("messageText", "")));
 * }
 * }</pre>
 *
 * <p>Unreadable signals are answered {@code 400} (or {@code 413} above the limit) with a plain-text reason before
 * the method runs, and counted in {@code starwire.signals.rejected}. A method with such a parameter is a Datastar
 * action: on {@code POST}, {@code PUT}, {@code PATCH} and {@code DELETE} the CSRF check applies first. A parameter
 * of type {@link dev.starwire.Signals} (no annotation needed) gets the signals as they came.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface DatastarSignals {
}
