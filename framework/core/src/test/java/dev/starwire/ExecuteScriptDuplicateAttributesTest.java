package dev.starwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExecuteScriptDuplicateAttributesTest {

    @Test
    void aNonceGivenAsAttributeIsWrittenOnce() {
        ExecuteScript s = ExecuteScript.builder().script("go()").attribute("NONCE", "n1").nonce("n2").build();
        String frame = new String(SseWriter.encode(s), StandardCharsets.UTF_8);
        assertEquals("data: elements <script nonce=\"n2\" data-effect=\"el.remove()\">go()</script>",
                frame.lines().filter(l -> l.startsWith("data: elements")).findFirst().orElseThrow());
    }

    @Test
    void ownDataEffectNeedsAutoRemoveOff() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecuteScript.builder()
                .script("go()").attribute("data-effect", "x()").build());
        assertTrue(e.getMessage().contains("autoRemove(false)"), e.getMessage());
        ExecuteScript own = ExecuteScript.builder().script("go()").attribute("data-effect", "x()")
                .autoRemove(false).build();
        assertEquals("x()", own.tagAttributes().get("data-effect"));
    }
}
