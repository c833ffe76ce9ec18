/**
 * Test support for running pages in a real browser: one shared headless Chromium
 * ({@link dev.starwire.browser.Chromium}), windows in separate browser contexts
 * ({@link dev.starwire.browser.BrowserWindow}), the Datastar 1.0.1 bundle served for its CDN address
 * ({@link dev.starwire.browser.DatastarBundle}), a JUnit 5 extension that fails a test on browser console
 * problems ({@link dev.starwire.browser.ChromiumExtension}). This repository's {@code *BrowserTest} classes use it
 * in test scope (with the proxy that cuts connections, {@code TcpProxy} of {@code framework/test-support}); it is
 * not published.
 *
 * <p>Thread-safety: one shared browser, windows used by one test thread at a time.
 */
package dev.starwire.browser;
