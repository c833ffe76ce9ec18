package dev.starwire.servlet;

import dev.starwire.Signals;
import dev.starwire.SignalsException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request's Datastar signals, once per request: the value is kept on the request, so every later read,
 * by any part of Starwire or the app, returns the same. Where the signals are, as the Datastar 1.0.1 client
 * sends them: {@code GET} and {@code DELETE} (and {@code HEAD}, {@code OPTIONS}) in the {@code datastar} query
 * parameter; {@code POST}, {@code PUT} and {@code PATCH} in a JSON body. A form sent with
 * {@code {contentType: 'form'}} arrives as an {@code application/x-www-form-urlencoded} or
 * {@code multipart/form-data} body (file parts are not signals), or, for {@code GET}/{@code DELETE}, as query
 * parameters with {@code Content-Type: application/x-www-form-urlencoded}.
 *
 * <pre>{@code
 * Signals s = SignalsReader.read(request, 64 * 1024, SignalsReader.SERVLET_PARTS);
 * }</pre>
 *
 * <p>Apps use {@link Datastar#signals} or their adapter's reader; this is the one reader behind them all.
 */
public final class SignalsReader {
    /** Reads the text fields (not the files) of a multipart form body. */
    @FunctionalInterface
    public interface FormFields {
        /** Every text field of {@code request}'s multipart body, each name with its values in order. */
        Map<String, List<String>> read(HttpServletRequest request, long maxBytes) throws IOException, ServletException;
    }

    /**
     * Multipart fields through {@link HttpServletRequest#getParts()}: the servlet needs a multipart
     * configuration ({@link StarwireServlets#register} sets one).
     */
    public static final FormFields SERVLET_PARTS = SignalsReader::parts;

    private static final String ATTRIBUTE = SignalsReader.class.getName() + ".signals";
    private static final Logger LOG = LoggerFactory.getLogger(SignalsReader.class);
    /** How much of a refused, too large body is still read, so its client sees the 413. */
    private static final long DISCARD_LIMIT = 4L * 1024 * 1024;
    private static final String FORM = "application/x-www-form-urlencoded";

    private SignalsReader() {
    }

    /**
     * The request's signals: the ones already read for it, or read now and kept on it.
     *
     * @param maxBytes  the largest signals accepted, in UTF-8 bytes
     * @param multipart how to read the fields of a multipart body
     * @throws SignalsException 400 for missing (an empty body), malformed or unreadable signals, 413 for more than
     *     {@code maxBytes}
     */
    public static Signals read(HttpServletRequest request, long maxBytes, FormFields multipart) {
        Object cached = request.getAttribute(ATTRIBUTE);
        if (cached instanceof Signals) {
            return (Signals) cached;
        }
        Signals read = readNow(request, maxBytes, multipart);
        request.setAttribute(ATTRIBUTE, read);
        return read;
    }

    private static Signals readNow(HttpServletRequest request, long maxBytes, FormFields multipart) {
        String method = request.getMethod();
        String type = mimeType(request.getContentType());
        if (!(method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
            // GET and DELETE keep JSON signals in ?datastar=..., a form's fields in the query itself
            String query = request.getQueryString();
            if (FORM.equals(type)) {
                byte[] fields = query == null ? new byte[0] : query.getBytes(StandardCharsets.UTF_8);
                return Signals.fromFormBody(new ByteArrayInputStream(fields), maxBytes);
            }
            return Signals.fromQuery(queryParameter(query, "datastar"), maxBytes);
        }
        if ("multipart/form-data".equals(type)) {
            try {
                return Signals.fromForm(multipart.read(request, maxBytes), maxBytes);
            } catch (SignalsException e) {
                throw e;
            } catch (IOException | ServletException | RuntimeException e) {
                throw new SignalsException(400, "the multipart form body could not be read", e);
            }
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            if (declared - maxBytes <= DISCARD_LIMIT) {
                discard(request);
            }
            throw new SignalsException(413, "signals are larger than the limit of " + maxBytes + " bytes");
        }
        try {
            InputStream body = new ClientBody(request.getInputStream());
            return FORM.equals(type) ? Signals.fromFormBody(body, maxBytes) : Signals.fromJson(body, maxBytes);
        } catch (SignalsException e) {
            if (e.status() == 413) {
                discard(request);
            }
            throw e;
        } catch (IOException e) {
            throw new SignalsException(400, "the request body could not be read", e);
        }
    }

    /** The first value of {@code name} in a raw query string, URL-decoded as UTF-8; {@code null} when absent. */
    static String queryParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                throw new SignalsException(400, "the query string is not valid URL encoding", e);
            }
        }
        return null;
    }

    private static Map<String, List<String>> parts(HttpServletRequest request, long maxBytes)
            throws IOException, ServletException {
        Collection<Part> all;
        try {
            all = request.getParts();
        } catch (IllegalStateException e) {
            throw new SignalsException(400, "multipart forms are not accepted here: the servlet has no"
                    + " multipart configuration", e);
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        long left = maxBytes;
        for (Part part : all) {
            if (part.getSubmittedFileName() != null) {
                continue; // a file, not a signal
            }
            byte[] value;
            try (InputStream in = part.getInputStream()) {
                value = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, left + 1));
            }
            left -= value.length;
            if (left < 0) {
                throw new SignalsException(413, "signals are larger than the limit of " + maxBytes + " bytes");
            }
            fields.computeIfAbsent(part.getName(), k -> new ArrayList<>())
                    .add(new String(value, StandardCharsets.UTF_8));
        }
        return fields;
    }

    private static String mimeType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads and drops what is left of a refused body (at most {@link #DISCARD_LIMIT} bytes), so the client
     * finishes sending and reads the 413 instead of a connection reset.
     */
    private static void discard(HttpServletRequest request) {
        byte[] buf = new byte[16 * 1024];
        long left = DISCARD_LIMIT;
        try {
            InputStream in = request.getInputStream();
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) != -1; ) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not read the rest of a refused body: {}", e.toString());
        }
    }

    /**
     * The request body as the client sent it. A container may report broken framing (a bad chunk size) as a
     * runtime exception (Jetty does); here every read failure is an {@link IOException}, answered with 400.
     */
    private static final class ClientBody extends FilterInputStream {
        ClientBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
