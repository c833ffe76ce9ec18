/**
 * A chat server on {@code starwire-servlet} in Jetty's plain servlet container, for the fan-out benchmarks:
 * the Servlet adapter's cost without Javalin or Spring.
 */
package dev.starwire.bench.servlet;
