/**
 * Test support for running pages in a real browser: one shared headless Chromium
 * ({@link dev.starwire.browser.Chromium}), windows in separate browser contexts
 * ({@link dev.starwire.browser.BrowserWindow}), the Datastar 1.0.1 bundle served for its CDN address
 * ({@link dev.starwire.browser.DatastarBundle}), a JUnit 5 extension that fails a test on browser console
 * problems ({@link dev.starwire.browser.ChromiumExtension}) and a proxy that cuts connections
 * ({@link dev.starwire.browser.TcpProxy}). This repository's {@code *BrowserTest} classes use it in test scope;
 * it is not published.
 */
package dev.starwire.browser;
