package dev.mpchannel.transport.text;

/**
 * Names and texts that came from a peer (action names, parameters, replies, refusals), escaped so that printing them
 * on a terminal or into a log line shows them and does nothing else: an escape sequence would recolour or rewrite the
 * operator's console, a newline would forge a line of output or a log record, a bidi override would show the text in
 * another order than it is.
 * <p>
 * Escaped: the C0 controls, DEL and the C1 controls, as {@code \n}, {@code \r}, {@code \t} or {@code \xNN}
 * (e.g. {@code \x1B}); the bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), the
 * line and paragraph separators (U+2028, U+2029) and lone surrogates, as <code>&#92;u{NNNN}</code>; and the backslash
 * itself, as {@code \\}, so that the output reads back to one text only. Everything else, any letter of any script
 * included ({@code é}, {@code 漢}), is kept as it is.
 */
public final class Printable {
    private static final String HEX = "0123456789ABCDEF";

    private Printable() {
    }

    /**
     * {@code text} with everything a terminal or a log reader would act on escaped; {@code text} itself if nothing
     * needs it (no copy), and {@code "null"} for {@code null}.
     */
    public static String escape(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int first = firstToEscape(text);
        if (first < 0) {
            return text.toString();
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i)); // a pair: a character beyond U+FFFF, printable
            } else if (needsEscape(c)) {
                escape(c, out);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int firstToEscape(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                continue; // the usual name: printable ASCII
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (needsEscape(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '\\' || (c >= 0x7F && c <= 0x9F) || isBidiOrSeparator(c) || Character.isSurrogate(c);
    }

    private static boolean isBidiOrSeparator(char c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    private static void escape(char c, StringBuilder out) {
        switch (c) {
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c <= 0xFF) {
                    out.append("\\x").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
                } else {
                    out.append("\\u{").append(HEX.charAt(c >> 12)).append(HEX.charAt((c >> 8) & 0xF))
                            .append(HEX.charAt((c >> 4) & 0xF)).append(HEX.charAt(c & 0xF)).append('}');
                }
            }
        }
    }
}
