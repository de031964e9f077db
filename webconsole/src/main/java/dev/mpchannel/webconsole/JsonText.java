package dev.mpchannel.webconsole;

import java.util.Collection;

/**
 * A JSON document written as it goes, with the few shapes the tab needs (objects, arrays, strings, numbers,
 * booleans). Strings are escaped so that the text stays inert even where a browser might read it as HTML or script:
 * besides what JSON requires, {@code <}, {@code >}, {@code &}, {@code '} and U+2028/U+2029 are written as
 * {@code \}{@code uNNNN}, so no peer-chosen name can close a tag or a script block.
 */
final class JsonText {
    private static final String HEX = "0123456789abcdef";

    private final StringBuilder out = new StringBuilder(1024);
    /** Whether the next value in the current object or array needs a comma before it. */
    private boolean comma;

    /** Opens an object: a value, or an array element. */
    JsonText beginObject() {
        separate();
        out.append('{');
        comma = false;
        return this;
    }

    /** Closes the innermost object. */
    JsonText endObject() {
        out.append('}');
        comma = true;
        return this;
    }

    /** Opens an array: a value, or an array element. */
    JsonText beginArray() {
        separate();
        out.append('[');
        comma = false;
        return this;
    }

    /** Closes the innermost array. */
    JsonText endArray() {
        out.append(']');
        comma = true;
        return this;
    }

    /** A member's name; its value follows. */
    JsonText name(String name) {
        separate();
        string(out, name);
        out.append(':');
        comma = false;
        return this;
    }

    /** A string, escaped; {@code null} for null. */
    JsonText value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(out, value);
        }
        comma = true;
        return this;
    }

    /** A number. */
    JsonText value(long value) {
        separate();
        out.append(value);
        comma = true;
        return this;
    }

    /** {@code true} or {@code false}. */
    JsonText value(boolean value) {
        separate();
        out.append(value);
        comma = true;
        return this;
    }

    /** An array of strings. */
    JsonText values(Collection<String> values) {
        beginArray();
        values.forEach(this::value);
        return endArray();
    }

    /** A member with a string value. */
    JsonText member(String name, String value) {
        return name(name).value(value);
    }

    /** A member with a number. */
    JsonText member(String name, long value) {
        return name(name).value(value);
    }

    /** A member with a boolean. */
    JsonText member(String name, boolean value) {
        return name(name).value(value);
    }

    /** The document written so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (comma) {
            out.append(',');
            comma = false;
        }
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F || c == '<' || c == '>' || c == '&' || c == '\'' || c == '\u2028'
                            || c == '\u2029') {
                        out.append("\\u").append(HEX.charAt(c >> 12 & 0xF)).append(HEX.charAt(c >> 8 & 0xF))
                                .append(HEX.charAt(c >> 4 & 0xF)).append(HEX.charAt(c & 0xF));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
