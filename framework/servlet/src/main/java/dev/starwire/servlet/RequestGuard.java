package dev.starwire.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The cross-site request forgery check of mutating routes. A browser cannot add {@code Datastar-Request} to a
 * cross-site form post, and a cross-site {@code fetch} that adds it must pass a CORS preflight; a present
 * {@code Origin} must also be the page's own origin or an allowed one. Requests without {@code Origin}
 * (curl, server-to-server) pass.
 *
 * <p>The request's own origin is its scheme, host and port: the scheme of the connection it came on (so
 * {@code https://host:port} is refused on a plain-http server) and the {@code Host} header. Behind a proxy that
 * terminates TLS, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code X-Forwarded-Port} describe
 * the browser's side instead, but only when {@link StarwireSettings#trustForwardedHeaders} says the proxy sets
 * them: otherwise any client could claim any origin with them.
 */
final class RequestGuard {
    private final Set<String> allowed = new LinkedHashSet<>();
    private final boolean trustForwarded;

    RequestGuard(Set<String> allowedOrigins, boolean trustForwarded) {
        this.trustForwarded = trustForwarded;
        for (String o : allowedOrigins) {
            String normal = normalize(o);
            if (normal == null) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + o);
            }
            allowed.add(normal);
        }
    }

    /**
     * Lets a request through or refuses it.
     *
     * @throws RequestRefusedException 403 with the reason
     */
    void check(HttpServletRequest request) {
        String refusal = refusal(request);
        if (refusal != null) {
            throw new RequestRefusedException(403, refusal);
        }
    }

    /** Why the request must be refused, or {@code null} when it may proceed. */
    String refusal(HttpServletRequest request) {
        if (!"true".equalsIgnoreCase(request.getHeader("Datastar-Request"))) {
            return "refused: a " + request.getMethod() + " to this route needs the header 'Datastar-Request: true'";
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return null;
        }
        String normal = normalize(origin);
        if (normal != null && (allowed.contains(normal) || normal.equals(ownOrigin(request)))) {
            return null;
        }
        return "refused: cross-origin request from '" + origin + "'";
    }

    /** The request's own origin, normalized like {@link #normalize}; {@code null} when it cannot be told. */
    String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme();
        String host = request.getHeader("Host");
        String port = null;
        if (trustForwarded) {
            scheme = firstOr(request.getHeader("X-Forwarded-Proto"), scheme);
            host = firstOr(request.getHeader("X-Forwarded-Host"), host);
            port = first(request.getHeader("X-Forwarded-Port"));
        }
        if (scheme == null || host == null || host.isBlank()) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        String authority = host.trim();
        if (port != null && authority.lastIndexOf(':') <= authority.lastIndexOf(']')) {
            authority = authority + ":" + port; // a forwarded port applies to a host without one
        }
        return normalize(scheme + "://" + authority);
    }

    private static String firstOr(String headerValue, String fallback) {
        String v = first(headerValue);
        return v == null ? fallback : v;
    }

    /** The first (client-most) value of a comma-separated forwarded header, or {@code null}. */
    private static String first(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        String v = headerValue.split(",", 2)[0].trim();
        return v.isEmpty() ? null : v;
    }

    /** {@code scheme://host[:port]} in lower case without a default port, or {@code null} when malformed. */
    static String normalize(String origin) {
        try {
            URI u = new URI(origin.trim());
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || u.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                return null;
            }
            String path = u.getRawPath();
            if ((path != null && !path.isEmpty() && !path.equals("/")) || u.getRawQuery() != null
                    || u.getRawUserInfo() != null) {
                return null;
            }
            int port = u.getPort();
            boolean defaultPort = port == -1 || port == defaultPort(scheme);
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }
}
