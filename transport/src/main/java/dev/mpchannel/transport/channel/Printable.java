package dev.mpchannel.transport.channel;

/**
 * Text from elsewhere (a service property, a peer's action name) made safe for one log line: control characters,
 * line breaks among them, become {@code \\uXXXX}, so that a name cannot forge or split a line.
 */
final class Printable {
    private Printable() {
    }

    /** The text with control characters escaped; {@code "null"} for {@code null}. */
    static String of(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder printable = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && printable == null) {
                printable = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (printable != null) {
                if (control) {
                    printable.append(String.format("\\u%04x", (int) c));
                } else {
                    printable.append(c);
                }
            }
        }
        return printable == null ? text : printable.toString();
    }
}
