package dev.starwire.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ChatInputTest {
    @Test
    void trimsAndNormalisesLineBreaks() {
        ChatInput in = new ChatInput("  Ana\r\nBudi\t ", "\n  one\r\ntwo\rthree\u0007  ").cleaned();
        assertEquals("Ana Budi", in.username());
        assertEquals("one\ntwo\nthree", in.messageText());
    }

    @Test
    void absentSignalsReadAsEmpty() {
        ChatInput in = new ChatInput(null, null).cleaned();
        assertEquals("", in.username());
        assertEquals("The message is empty.", in.problem(Lang.EN));
    }

    @Test
    void limitsCountCharactersNotBytesOrUtf16Units() {
        String emoji = "😀"; // two UTF-16 units, one character
        assertNull(new ChatInput(emoji.repeat(40), emoji.repeat(500)).cleaned().problem(Lang.EN));
        assertEquals("The message is too long: at most 500 characters.",
                new ChatInput("Ana", emoji.repeat(501)).cleaned().problem(Lang.EN));
        assertEquals("The name must have 1 to 40 characters.",
                new ChatInput(emoji.repeat(41), "hi").cleaned().problem(Lang.EN));
        assertEquals("Nama harus berisi 1 sampai 40 karakter.", new ChatInput(" ", "hi").cleaned().problem(Lang.ID));
    }
}
