package dev.starwire.servlet.session;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The session cookie: fresh ids of 128 bits from {@link SecureRandom}, the cookie header
 * ({@code <name>=<32 hex digits>; Path=/; HttpOnly; SameSite=Lax}, plus {@code Secure} over HTTPS), and reading
 * an id back, accepted only when it has the shape of one we issue (the value is never echoed anywhere).
 *
 * <p>Thread-safe.
 */
final class SessionCookies {
    private static final int ID_BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();

    private final String name;
    private final boolean trustForwardedProto;
    private final SecureRandom random = new SecureRandom();

    SessionCookies(String name, boolean trustForwardedProto) {
        this.name = name;
        this.trustForwardedProto = trustForwardedProto;
    }

    /** A fresh random id. */
    String newId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** The id the request's cookie carries if it has the shape of one we issue, else {@code null}. */
    String read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (name.equals(c.getName())) {
                return validId(c.getValue());
            }
        }
        return null;
    }

    /** Sets the cookie of session {@code id} on the response ({@code Secure} when the request came over HTTPS). */
    void write(HttpServletRequest request, HttpServletResponse response, String id) {
        response.addHeader("Set-Cookie",
                name + "=" + id + "; Path=/; HttpOnly; SameSite=Lax" + (isSecure(request) ? "; Secure" : ""));
    }

    static String validId(String value) {
        if (value == null || value.length() != ID_BYTES * 2) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return value;
    }

    private boolean isSecure(HttpServletRequest request) {
        if ("https".equalsIgnoreCase(request.getScheme())) {
            return true;
        }
        if (trustForwardedProto) {
            String proto = request.getHeader("X-Forwarded-Proto");
            if (proto != null) {
                int comma = proto.indexOf(',');
                String first = (comma < 0 ? proto : proto.substring(0, comma)).trim();
                return "https".equalsIgnoreCase(first);
            }
        }
        return false;
    }
}
