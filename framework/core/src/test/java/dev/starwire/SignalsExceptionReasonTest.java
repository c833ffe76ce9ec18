package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.starwire.SignalsException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every way signals fail to read says why, as the reason the metrics count it by. */
class SignalsExceptionReasonTest {
    public record Named(String name) {
    }

    @Test
    void eachFailureCarriesItsReason() {
        assertReason(Reason.MISSING, 400, () -> Signals.fromQuery(" ", 1024));
        assertReason(Reason.MISSING, 400, () -> Signals.fromJson(bytes("  ")));
        assertReason(Reason.MALFORMED, 400, () -> Signals.fromJson(bytes("{oops")));
        assertReason(Reason.MALFORMED, 400, () -> Signals.fromJson(bytes("[1]")));
        assertReason(Reason.TOO_LARGE, 413, () -> Signals.fromJson(new ByteArrayInputStream(bytes("{\"a\":\"xxxxxxxx\"}")), 8));
        assertReason(Reason.TOO_DEEP, 400, () -> Signals.fromJson(bytes("{\"a\":".repeat(100) + "1" + "}".repeat(100))));
        assertReason(Reason.WRONG_TYPE, 400, () -> Signals.fromJson(bytes("{\"name\":{\"a\":1}}")).as(Named.class));
        assertReason(Reason.UNREADABLE, 400, () -> Signals.fromJson(new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("cut short");
            }
        }, 1024));
    }

    @Test
    void theOlderConstructorsDeriveTheReasonFromTheStatus() {
        assertEquals(Reason.TOO_LARGE, new SignalsException(413, "big").reason());
        assertEquals(Reason.MALFORMED, new SignalsException(400, "bad", null).reason());
        assertEquals("too_large", Reason.TOO_LARGE.tag());
    }

    private static void assertReason(Reason reason, int status, Executable read) {
        SignalsException e = assertThrows(SignalsException.class, read);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(status, e.status());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
