package dev.starwire.demo;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The demo's Content-Security-Policy: scripts only from this app, the pinned Datastar bundle on jsDelivr and
 * inline scripts carrying this response's nonce; everything else only from this app.
 *
 * <p>{@code 'unsafe-eval'} is there because the Datastar client compiles its {@code data-*} expressions with
 * the {@code Function} constructor; without it no attribute would work. Inline scripts stay blocked unless
 * they carry the nonce, so an injected {@code <script>} does not run.
 *
 * <pre>{@code
 * config.routes.before(Csp::apply);
 * String nonce = Csp.nonce(ctx);   // for <script nonce="...">
 * }</pre>
 */
public final class Csp {
    /** Where the Datastar client is loaded from; the policy allows this folder of the CDN and nothing else. */
    public static final String CDN_SOURCE = "https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/";

    private static final String ATTRIBUTE = "starwire.demo.csp-nonce";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csp() {
    }

    /** Creates this request's nonce and sets the policy header (a Javalin before-handler). */
    public static void apply(Context ctx) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getEncoder().encodeToString(bytes);
        ctx.attribute(ATTRIBUTE, nonce);
        ctx.header("Content-Security-Policy", policy(nonce));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
    }

    /** This request's nonce (set by {@link #apply}). */
    public static String nonce(Context ctx) {
        String nonce = ctx.attribute(ATTRIBUTE);
        if (nonce == null) {
            throw new IllegalStateException("Csp.apply did not run for " + ctx.path());
        }
        return nonce;
    }

    /** The policy for one response. */
    static String policy(String nonce) {
        return "default-src 'self'; "
                + "script-src 'self' " + CDN_SOURCE + " 'nonce-" + nonce + "' 'unsafe-eval'; "
                + "style-src 'self'; "
                + "img-src 'self' data:; "
                + "connect-src 'self'; "
                + "object-src 'none'; "
                + "base-uri 'none'; "
                + "form-action 'self'; "
                + "frame-ancestors 'none'";
    }
}
