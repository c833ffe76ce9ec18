/**
 * Browser sessions, each with its own {@link dev.starwire.signals.SignalStore}, identified by a cookie, for the
 * servlet adapter and the Javalin plugin alike. {@link dev.starwire.servlet.session.Sessions} is the public face;
 * inside, the jobs are apart: the registry of live sessions with its bounds and sweep ({@code SessionRegistry}),
 * the cookie ({@code SessionCookies}) and bringing a request's signals into the store ({@code SessionSignals}).
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder().idleTimeout(Duration.ofMinutes(10)).serverOwned("running").build();
 * Session s = sessions.sync(request, response, starwire.signals(request));
 * s.store().set("running", false);
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; no lock is held while a shared storage is asked.
 */
package dev.starwire.servlet.session;
