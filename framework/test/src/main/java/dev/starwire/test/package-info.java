/**
 * The Starwire test kit: plays the Datastar 1.0 browser client in plain JUnit, without a browser.
 *
 * <pre>{@code
 * TestPage page = TestPage.of(html);                 // a page: jsoup document + signals
 * page.apply(PatchElements.of(component));           // framed by SseWriter, parsed strictly, applied
 * page.assertThat("#messages .message").hasSize(2);
 * page.signal("isConnected").isTrue();
 *
 * try (DatastarClient c = DatastarClient.connect("http://127.0.0.1:" + port)) {
 *     c.open("/").assertDatastar10Syntax();
 *     c.init();                                      // data-init streams, in the background
 *     c.awaitSignal("updateCount", 3);
 * }
 * }</pre>
 *
 * <p>See {@code docs/testing.md}.
 */
package dev.starwire.test;
