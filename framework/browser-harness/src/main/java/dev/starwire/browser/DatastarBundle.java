package dev.starwire.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The official Datastar 1.0.1 client bundle, read from {@code shared/datastar-client/} beside the repository
 * (the machines that build this project reach no CDN). Pages keep naming the CDN address; {@link CdnServer}
 * answers for it with these bytes, checked against the published hash first.
 *
 * <pre>{@code
 * Optional<Path> file = DatastarBundle.find();              // empty: skip the browser tests
 * byte[] js = DatastarBundle.load(file.get());              // fails on a wrong hash
 * String tag = DatastarBundle.scriptTag("n0nce");           // <script type="module" src=CDN integrity=...>
 * }</pre>
 */
public final class DatastarBundle {
    /** Where users' pages load the client from. */
    public static final String CDN_URL =
            "https://cdn.jsdelivr.net/gh/starfederation/datastar@1.0.1/bundles/datastar.js";
    /** The CDN host the browser is pointed at the local {@link CdnServer} for. */
    public static final String CDN_HOST = "cdn.jsdelivr.net";
    /** The Subresource Integrity value of the 1.0.1 bundle. */
    public static final String INTEGRITY = "sha384-ONnEvIy1S4dD1gAfthO8ImbkzWZeX5ZX5oFV0nLwc4dzs72jN43qx5oki21N+P7v";
    /** The sha256 of the 1.0.1 bundle, checked before the file is served. */
    public static final String SHA256 = "56541fe338989ba378fe5f1e71f884d9c3e95531937bb1b439a5a4efe655de05";
    /** Overrides where the bundle is looked for (a file path). */
    public static final String LOCATION_PROPERTY = "starwire.datastar.bundle";

    private static final String FILE = "datastar-1.0.1.js";

    private DatastarBundle() {
    }

    /**
     * The bundle file: the system property {@value #LOCATION_PROPERTY}, else {@code shared/datastar-client/}
     * in the working directory or any folder above it (a module dir, the repository, the folder holding both).
     */
    public static Optional<Path> find() {
        String configured = System.getProperty(LOCATION_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("datastar-client").resolve(FILE);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads the bundle and checks its sha256.
     *
     * @throws IllegalStateException when the file is not the published 1.0.1 bundle
     */
    public static byte[] load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Datastar bundle " + file, e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(SHA256)) {
            throw new IllegalStateException(file + " is not the Datastar 1.0.1 bundle: sha256 " + actual
                    + ", expected " + SHA256);
        }
        return bytes;
    }

    /** The module script tag a page uses, pinned with Subresource Integrity; {@code nonce} may be null. */
    public static String scriptTag(String nonce) {
        return "<script type=\"module\" src=\"" + CDN_URL + "\" integrity=\"" + INTEGRITY
                + "\" crossorigin=\"anonymous\"" + (nonce == null ? "" : " nonce=\"" + nonce + "\"") + "></script>";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
