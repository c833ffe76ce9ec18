/**
 * The demo's chat on Spring Boot with {@code starwire-spring-boot-starter}: {@link
 * dev.starwire.samples.chat.ChatController} serves the page, the stream and the action.
 *
 * <pre>{@code
 * PORT=8080 java -jar samples/spring-chat/target/spring-chat.jar
 * }</pre>
 *
 * <p>Thread-safety: the controller is a stateless singleton; the hub's topic is thread-safe.
 */
package dev.starwire.samples.chat;
