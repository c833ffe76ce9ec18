package dev.starwire.javalin;

import io.javalin.http.Context;
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
 */
final class RequestGuard {
    private final Set<String> allowed = new LinkedHashSet<>();

    RequestGuard(Set<String> allowedOrigins) {
        for (String o : allowedOrigins) {
            String normal = normalize(o);
            if (normal == null) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + o);
            }
            allowed.add(normal);
        }
    }

    /** Why the request must be refused, or {@code null} when it may proceed. */
    String refusal(Context ctx) {
        if (!"true".equalsIgnoreCase(ctx.header("Datastar-Request"))) {
            return "refused: a " + ctx.method() + " to this route needs the header 'Datastar-Request: true'";
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return null;
        }
        String normal = normalize(origin);
        if (normal != null && (allowed.contains(normal) || sameOrigin(normal, ctx.header("Host")))) {
            return null;
        }
        return "refused: cross-origin request from '" + origin + "'";
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

    /** Whether the normalized origin names the host (and port) the request was sent to. */
    private static boolean sameOrigin(String origin, String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String scheme = origin.substring(0, origin.indexOf(':'));
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        int port = defaultPort(scheme);
        if (colon > host.lastIndexOf(']')) { // a port, not part of an IPv6 literal
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
            host = host.substring(0, colon);
        }
        String expected = scheme + "://" + host + (port == defaultPort(scheme) ? "" : ":" + port);
        return expected.equals(origin);
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }
}
