package dev.starwire.samples.chat;

/**
 * The signals {@code POST /send-message} reads, and the rules a message must pass before it is published.
 *
 * @param username    the author's name as typed
 * @param messageText the message as typed
 */
public record ChatInput(String username, String messageText) {
    /** Longest accepted name, in characters (code points) after trimming. */
    public static final int MAX_AUTHOR = 40;
    /** Longest accepted message, in characters (code points) after trimming. */
    public static final int MAX_TEXT = 500;

    /**
     * The input as it is stored: trimmed; control characters in the name become spaces, line breaks in the text
     * become {@code \n} and its other control characters but tabs are dropped. Absent signals read as empty.
     */
    public ChatInput cleaned() {
        String name = username == null ? "" : username.replaceAll("\\p{Cntrl}+", " ").strip();
        String text = messageText == null ? "" : messageText.replaceAll("\r\n?", "\n")
                .replaceAll("[\\p{Cntrl}&&[^\n\t]]", "").strip();
        return new ChatInput(name, text);
    }

    /** What is wrong with this (cleaned) input, or {@code null} when it may be sent. */
    public String problem() {
        if (messageText.isEmpty()) {
            return "The message is empty.";
        }
        if (messageText.codePointCount(0, messageText.length()) > MAX_TEXT) {
            return "The message is longer than " + MAX_TEXT + " characters.";
        }
        int name = username.codePointCount(0, username.length());
        if (name < 1 || name > MAX_AUTHOR) {
            return "The name must have 1 to " + MAX_AUTHOR + " characters.";
        }
        return null;
    }
}
