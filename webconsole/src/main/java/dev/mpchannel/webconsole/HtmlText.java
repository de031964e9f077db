package dev.mpchannel.webconsole;

/** Text put into HTML markup by the server: escaped for an element's content or a quoted attribute value. */
final class HtmlText {
    private HtmlText() {
    }

    /** {@code text} with {@code & < > " '} as character references, safe inside a quoted attribute or an element. */
    static String attribute(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
