/**
 * What an application may catch when sessions are shared by several instances:
 * {@link dev.starwire.session.SessionUnavailableException} (the storage cannot be reached now: answer "try again")
 * and {@link dev.starwire.session.SessionEndedException} (the session ended on some instance). The storage
 * contract itself is {@link dev.starwire.session.spi}.
 *
 * <pre>{@code
 * try { session.store().set("running", false); }
 * catch (SessionUnavailableException e) { return DatastarResponse.error(503, e.getMessage()); }
 * }</pre>
 *
 * <p>Thread-safety: immutable exceptions.
 */
package dev.starwire.session;
