package dev.starwire.bench;

/** Deterministic chat-like HTML of a given size, on one line or on lines of about 80 characters. */
final class Html {
    private Html() {
    }

    static String of(int size, boolean multiLine) {
        StringBuilder sb = new StringBuilder(size + 200);
        int i = 0;
        while (sb.length() < size) {
            if (multiLine && sb.length() > 0) {
                sb.append('\n');
            }
            sb.append("<div class=\"message\" id=\"m").append(i).append("\">");
            if (multiLine) {
                sb.append('\n');
            }
            sb.append("<span class=\"message-author\">User ").append(i % 7).append("</span>");
            if (multiLine) {
                sb.append('\n');
            }
            sb.append("<span class=\"message-text\">Selamat pagi, apa kabar? Message number ").append(i)
                    .append("</span></div>");
            i++;
        }
        sb.setLength(size);
        if (sb.charAt(size - 1) == '\n') {
            sb.setCharAt(size - 1, '.'); // String.split would drop a trailing empty line; keep both sides equal
        }
        return sb.toString();
    }
}
