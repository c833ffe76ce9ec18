package dev.starwire.test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * A page body as one line per node, for comparing the test kit's page with the browser's. Normalised only
 * where the two differ without the user seeing it: attributes sorted by name (a morph keeps the old
 * element's attribute order), {@code nonce} values not shown (browsers hide them), and the text of
 * {@code #signals} (the client's view of its signals, compared as JSON instead) left out. Text, whitespace
 * included, is shown exactly, quoted.
 */
final class CanonicalDom {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalDom() {
    }

    static String of(Element body) {
        StringBuilder out = new StringBuilder();
        write(body, 0, out);
        return out.toString();
    }

    private static void write(Node node, int depth, StringBuilder out) {
        String pad = "  ".repeat(depth);
        if (node instanceof Element e) {
            out.append(pad).append('<').append(e.tagName());
            List<Attribute> attributes = new ArrayList<>(e.attributes().asList());
            attributes.sort(Comparator.comparing(Attribute::getKey));
            for (Attribute a : attributes) {
                String value = a.getKey().equals("nonce") ? "(not compared)" : a.getValue();
                out.append(' ').append(a.getKey()).append("=\"").append(value).append('"');
            }
            out.append(">\n");
            if (e.id().equals("signals")) {
                out.append(pad).append("  (the signals, compared as JSON)\n");
                return;
            }
            for (Node child : e.childNodes()) {
                write(child, depth + 1, out);
            }
        } else if (node instanceof TextNode t) {
            out.append(pad).append(quote(t.getWholeText())).append('\n');
        } else if (node instanceof DataNode d) {
            out.append(pad).append("data ").append(quote(d.getWholeData())).append('\n');
        } else if (node instanceof Comment c) {
            out.append(pad).append("<!--").append(c.getData()).append("-->\n");
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
