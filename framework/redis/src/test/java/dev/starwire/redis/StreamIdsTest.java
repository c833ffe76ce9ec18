package dev.starwire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamIdsTest {

    @Test
    void ordersByMillisecondsThenSequenceNumerically() {
        assertTrue(StreamIds.compare("9-0", "10-0") < 0, "not string order");
        assertTrue(StreamIds.compare("5-10", "5-9") > 0);
        assertTrue(StreamIds.compare("1732712345678-3", "1732712345679-0") < 0);
        assertEquals(0, StreamIds.compare("7-1", "7-1"));
        assertTrue(StreamIds.compare("18446744073709551615-0", "9223372036854775807-0") > 0, "unsigned 64-bit");
    }

    @Test
    void rejectsWhatIsNotAStreamId() {
        for (String bad : new String[] {null, "", "1", "1-", "-1", "a-1", "1-b", "1-2-3", "+1-0", "18446744073709551616-0"}) {
            assertFalse(StreamIds.isValid(bad), String.valueOf(bad));
        }
        assertTrue(StreamIds.isValid("0-0"));
        assertThrows(IllegalArgumentException.class, () -> StreamIds.compare("x", "1-0"));
    }
}
