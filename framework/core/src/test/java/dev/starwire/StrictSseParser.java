package dev.starwire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict Server-Sent Events parser for tests, following the WHATWG "event stream interpretation" rules:
 * UTF-8 decoding with one optional leading BOM, lines ended by CRLF, a lone LF or a lone CR, comment lines
 * starting with ':', one optional space after the field's colon, blocks ended by an empty line. It keeps
 * every field of every block in order, so a test can see any injected field or event.
 */
final class StrictSseParser {

    /** One field line, as the browser sees it. */
    record Field(String name, String value) {
    }

    /** The fields between two blank lines. {@code dispatched} is what a browser would fire as an event. */
    record Block(List<Field> fields) {

        /** The value of the last {@code event} field, or "message" as in a browser. */
        String type() {
            String type = "message";
            for (Field f : fields) {
                if (f.name().equals("event")) {
                    type = f.value();
                }
            }
            return type;
        }

        /** Whether a browser dispatches an event for this block (it has at least one data field). */
        boolean dispatched() {
            return fields.stream().anyMatch(f -> f.name().equals("data"));
        }

        List<String> names() {
            return fields.stream().map(Field::name).toList();
        }

        List<String> values(String name) {
            return fields.stream().filter(f -> f.name().equals(name)).map(Field::value).toList();
        }

        /**
         * The data lines grouped the way the Datastar client reads them: the first word is the key, the rest
         * (after one space) the value; lines of one key in order.
         */
        Map<String, List<String>> datastarData() {
            Map<String, List<String>> groups = new LinkedHashMap<>();
            for (String line : values("data")) {
                int space = line.indexOf(' ');
                String key = space < 0 ? line : line.substring(0, space);
                String value = space < 0 ? "" : line.substring(space + 1);
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
            return groups;
        }

        /** The lines of one Datastar key joined with \n, as the client rebuilds a multi-line value. */
        String joined(String key) {
            List<String> lines = datastarData().get(key);
            return lines == null ? null : String.join("\n", lines);
        }
    }

    /** Everything in a stream: its complete blocks, its comments, and whether it ended inside a block. */
    record Stream(List<Block> blocks, List<String> comments, boolean unfinished) {
    }

    private StrictSseParser() {
    }

    static Stream parse(byte[] utf8) {
        return parse(new String(utf8, StandardCharsets.UTF_8));
    }

    static Stream parse(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Block> blocks = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        List<Field> current = new ArrayList<>();
        boolean inBlock = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int end = i;
            while (end < n && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
                end++;
            }
            if (end == n) {
                // a last line without its line ending is discarded, like a browser does at end of stream
                return new Stream(blocks, comments, true);
            }
            String line = text.substring(i, end);
            i = end + (text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n' ? 2 : 1);
            if (line.isEmpty()) {
                if (inBlock) {
                    blocks.add(new Block(List.copyOf(current)));
                }
                current.clear();
                inBlock = false;
            } else if (line.charAt(0) == ':') {
                comments.add(line.substring(1));
            } else {
                int colon = line.indexOf(':');
                String name = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                current.add(new Field(name, value));
                inBlock = true;
            }
        }
        return new Stream(blocks, comments, inBlock);
    }
}
