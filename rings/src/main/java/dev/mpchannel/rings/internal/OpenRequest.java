package dev.mpchannel.rings.internal;

import dev.mpchannel.rings.RingOptions;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The parameters of the {@code rings} request that opens a pair, as UTF-8 lines {@code key=value} after a first
 * line {@code open}: {@code version}, {@code name}, {@code id}, {@code forward} (capacity of the ring the opener
 * writes, 0 for none), {@code backward} (the ring the acceptor writes). The descriptors that come with it: for each
 * ring that exists, forward first, its memory then the acceptor's end of its doorbell. Closing is one line
 * {@code close} then {@code id=}.
 */
record OpenRequest(String name, long id, int forward, int backward) {
    static final String OPEN = "open";
    static final String CLOSE = "close";
    /** A pair's name: what an acceptor's service property can carry and a log line can show unescaped. */
    private static final int MAX_NAME = 64;
    private static final int MAX_PARAMS = 512;

    OpenRequest {
        checkName(name);
        new RingOptions(forward, backward); // the same bounds on both sides
    }

    static void checkName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME || !name.chars().allMatch(OpenRequest::nameChar)) {
            throw new IllegalArgumentException("a ring pair's name is 1 to " + MAX_NAME
                    + " letters, digits, '.', '_' or '-'");
        }
    }

    private static boolean nameChar(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
    }

    /** How many descriptors come with the request. */
    int descriptors() {
        return (forward > 0 ? 2 : 0) + (backward > 0 ? 2 : 0);
    }

    String encode() {
        return OPEN + "\nversion=" + RingLayout.VERSION + "\nname=" + name + "\nid=" + id + "\nforward=" + forward
                + "\nbackward=" + backward + "\n";
    }

    static String encodeClose(long id) {
        return CLOSE + "\nid=" + id + "\n";
    }

    /** The verb (first line) of a request's parameters. */
    static String verb(byte[] params) {
        String text = text(params);
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** The id of a close. */
    static long closeId(byte[] params) {
        return Long.parseLong(fields(params).getOrDefault("id", "?"));
    }

    /**
     * Decodes an open request.
     *
     * @throws IllegalArgumentException saying what is wrong (never with the peer's bytes unescaped)
     */
    static OpenRequest decode(byte[] params) {
        Map<String, String> fields = fields(params);
        String version = fields.get("version");
        if (!String.valueOf(RingLayout.VERSION).equals(version)) {
            throw new IllegalArgumentException("ring layout version " + printable(version) + " is not "
                    + RingLayout.VERSION);
        }
        try {
            return new OpenRequest(fields.getOrDefault("name", ""), Long.parseLong(fields.getOrDefault("id", "?")),
                    Integer.parseInt(fields.getOrDefault("forward", "?")),
                    Integer.parseInt(fields.getOrDefault("backward", "?")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an open request with a field that is not a number");
        }
    }

    private static Map<String, String> fields(byte[] params) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text(params).split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                fields.putIfAbsent(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return fields;
    }

    private static String text(byte[] params) {
        if (params.length > MAX_PARAMS) {
            throw new IllegalArgumentException("a rings request of " + params.length + " bytes (at most " + MAX_PARAMS
                    + ")");
        }
        return new String(params, StandardCharsets.UTF_8);
    }

    private static String printable(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(32).forEach(c -> out.append(c >= 0x20 && c < 0x7f ? Character.toString(c)
                : String.format("\\u%04x", c)));
        return "'" + out + "'";
    }
}
