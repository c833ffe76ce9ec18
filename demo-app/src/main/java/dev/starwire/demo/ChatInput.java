package dev.starwire.demo;

import java.util.regex.Pattern;

/**
 * The signals {@code POST /send-message} reads, and the rules a message must pass before it is broadcast.
 *
 * <pre>{@code
 * ChatInput in = Datastar.signals(ctx, ChatInput.class).cleaned();
 * String problem = in.problem(lang);   // null when the message may be sent
 * }</pre>
 *
 * @param username    the author's name as typed
 * @param messageText the message as typed
 */
public record ChatInput(String username, String messageText) {
    /** Longest accepted name, in characters (code points) after trimming. */
    public static final int MAX_AUTHOR = 40;
    /** Longest accepted message, in characters (code points) after trimming. */
    public static final int MAX_TEXT = 500;

    // compiled once: each message is cleaned on its way in
    private static final Pattern CONTROLS = Pattern.compile("\\p{Cntrl}+");
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n?");
    private static final Pattern DROPPED = Pattern.compile("[\\p{Cntrl}&&[^\n\t]]");

    /**
     * The input as it will be stored: both trimmed; in the name every control character (line breaks
     * included) becomes a space; in the text every line break becomes {@code \n} and other control
     * characters but tabs are dropped. Absent signals read as empty.
     */
    public ChatInput cleaned() {
        String name = username == null ? "" : CONTROLS.matcher(username).replaceAll(" ").strip();
        String text = messageText == null ? "" : messageText;
        text = DROPPED.matcher(LINE_BREAK.matcher(text).replaceAll("\n")).replaceAll("").strip();
        return new ChatInput(name, text);
    }

    /** What is wrong with this (cleaned) input in the reader's language, or {@code null} when it is fine. */
    public String problem(Lang lang) {
        if (messageText.isEmpty()) {
            return lang.text("chat.error.empty");
        }
        if (messageText.codePointCount(0, messageText.length()) > MAX_TEXT) {
            return lang.format("chat.error.long", MAX_TEXT);
        }
        int nameLength = username.codePointCount(0, username.length());
        if (nameLength < 1 || nameLength > MAX_AUTHOR) {
            return lang.format("chat.error.author", MAX_AUTHOR);
        }
        return null;
    }
}
