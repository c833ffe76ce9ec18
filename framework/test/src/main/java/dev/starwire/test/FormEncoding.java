package dev.starwire.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;

/**
 * What a browser's {@code new FormData(form)} holds, and its two encodings, as the Datastar 1.0.1 client sends a
 * form with {@code {contentType: 'form'}}: {@code URLSearchParams} (urlencoded) or the multipart body of
 * {@code fetch}. Fields bound with {@code data-bind} carry their signal's value, as in the browser.
 */
final class FormEncoding {
    private FormEncoding() {
    }

    /** One entry of the form data set. */
    record Field(String name, String value) {
    }

    /** The entries of {@code form} in document order, then the submitter's name and value, if it has a name. */
    static List<Field> entries(Element form, ObjectNode signals, Element submitter) {
        List<Field> fields = new ArrayList<>();
        for (Element el : form.select("input, select, textarea")) {
            String name = el.attr("name");
            if (name.isEmpty() || el.hasAttr("disabled")) {
                continue;
            }
            String tag = el.normalName();
            String type = el.attr("type").toLowerCase(Locale.ROOT);
            JsonNode bound = boundSignal(el, signals);
            if (tag.equals("input")) {
                switch (type) {
                    case "submit": case "image": case "reset": case "button": case "file":
                        continue; // no file uploads in the kit; buttons count only as the submitter
                    case "checkbox": case "radio":
                        boolean checked = bound != null && bound.isBoolean() ? bound.booleanValue()
                                : el.hasAttr("checked");
                        if (checked) {
                            fields.add(new Field(name, el.hasAttr("value") ? el.attr("value") : "on"));
                        }
                        continue;
                    default:
                        fields.add(new Field(name, bound != null ? text(bound) : el.attr("value")));
                        continue;
                }
            }
            if (tag.equals("textarea")) {
                fields.add(new Field(name, bound != null ? text(bound) : el.wholeText()));
                continue;
            }
            List<Element> selected = el.select("option[selected]");
            if (selected.isEmpty() && !el.hasAttr("multiple") && el.selectFirst("option") != null) {
                selected = List.of(el.selectFirst("option"));
            }
            for (Element option : selected) {
                fields.add(new Field(name, option.hasAttr("value") ? option.attr("value") : option.text()));
            }
        }
        if (submitter != null && !submitter.attr("name").isEmpty()
                && (submitter.normalName().equals("button") || submitter.attr("type").equalsIgnoreCase("submit"))) {
            fields.add(new Field(submitter.attr("name"), submitter.attr("value")));
        }
        return fields;
    }

    /** {@code URLSearchParams} serialisation: UTF-8, space as {@code +}, only {@code *-._} and alphanumerics kept. */
    static String urlEncoded(List<Field> fields) {
        StringBuilder sb = new StringBuilder();
        for (Field f : fields) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(f.name(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(f.value(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** A {@code multipart/form-data} body with CRLF line ends, as {@code fetch} sends a {@code FormData}. */
    static byte[] multipart(List<Field> fields, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field f : fields) {
            write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + escapeName(f.name())
                    + "\"\r\n\r\n" + f.value() + "\r\n");
        }
        write(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The HTML standard's escaping of a field name in a multipart header. */
    private static String escapeName(String name) {
        return name.replace("\n", "%0A").replace("\r", "%0D").replace("\"", "%22");
    }

    /** The signal a {@code data-bind:<key>} or {@code data-bind="<path>"} attribute ties the field to. */
    private static JsonNode boundSignal(Element el, ObjectNode signals) {
        for (Attribute a : el.attributes()) {
            String key = a.getKey();
            String path = null;
            if (key.equals("data-bind")) {
                path = a.getValue().trim();
            } else if (key.startsWith("data-bind:")) {
                String raw = key.substring("data-bind:".length());
                int mods = raw.indexOf("__");
                StringBuilder camel = new StringBuilder();
                for (String part : SignalPaths.split(mods < 0 ? raw : raw.substring(0, mods))) {
                    camel.append(camel.length() == 0 ? "" : ".").append(SignalPaths.camel(part));
                }
                path = camel.toString();
            }
            if (path != null && !path.isEmpty()) {
                return SignalPaths.get(signals, path);
            }
        }
        return null;
    }

    private static String text(JsonNode value) {
        return value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
    }
}
