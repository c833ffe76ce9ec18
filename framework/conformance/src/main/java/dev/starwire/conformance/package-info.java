/**
 * The {@code /test} endpoint the official Datastar SDK cases are played against ({@code scripts/conformance-server},
 * CI). A program, not a library: this module is never published.
 *
 * <p>Thread-safety: the endpoint keeps no state between requests.
 */
package dev.starwire.conformance;
