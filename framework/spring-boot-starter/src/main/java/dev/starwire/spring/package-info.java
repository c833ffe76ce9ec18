/**
 * Starwire on Spring Boot 4 (Spring MVC on a servlet container): add {@code starwire-spring-boot-starter} and
 * write controllers.
 *
 * <pre>{@code
 * @Controller
 * class ChatController {
 *     private final Topic chat;
 *
 *     ChatController(StarwireServlets starwire) {
 *         this.chat = starwire.topic("chat");
 *     }
 *
 *     @GetMapping("/join-chat")                       // a live stream: history, then every new message
 *     StreamHandler join() {
 *         return stream -> stream.subscribe(chat, 100, () -> stream.send(PatchElements.of("<div id=\"messages\"></div>")));
 *     }
 *
 *     @PostMapping("/send-message")                   // a Datastar action: CSRF-checked, signals read into a record
 *     DatastarResponse send(@DatastarSignals ChatInput input) {
 *         chat.publish(PatchElements.append("#messages", templates.message(input)));
 *         return DatastarResponse.of(PatchSignals.of(Map.of("messageText", "")));
 *     }
 * }
 * }</pre>
 *
 * <p>{@link dev.starwire.spring.StarwireAutoConfiguration} sets it up from {@link dev.starwire.spring.StarwireProperties}
 * ({@code starwire.*}); see {@code docs/spring.md}. Thread-safety: the beans are thread-safe, the properties
 * immutable.
 */
package dev.starwire.spring;
