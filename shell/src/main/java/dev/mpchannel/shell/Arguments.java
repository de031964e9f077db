package dev.mpchannel.shell;

import static dev.mpchannel.shell.ChannelCommands.NOT_GIVEN;

import dev.mpchannel.api.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The values Gogo passes to the {@code mp:} commands, checked: each wrong one is an {@link IllegalArgumentException}
 * saying what is wrong, then the command's usage.
 */
final class Arguments {
    private Arguments() {
    }

    /** The value of {@code -c}, or {@code null} if it was not given. */
    static String channelName(String value, String usage) {
        if (value == null || value.equals(NOT_GIVEN)) {
            return null;
        }
        if (value.isBlank()) {
            throw usage("channel name must not be empty (see mp:status)", usage);
        }
        return value;
    }

    /** The value of {@code -p}, or {@code null} if it was not given. */
    static Long peerId(String value, String usage) {
        if (value == null || value.equals(NOT_GIVEN)) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw usage("peer id must be a number (see mp:peers), not '" + value + "'", usage);
        }
    }

    static Duration timeout(String value, String usage) {
        try {
            return Timeout.parse(value == null ? Timeout.DEFAULT : value);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage(), usage);
        }
    }

    /**
     * The message of ACTION [PARAMS...], what Gogo leaves of the line once it has taken the options. A word there
     * that looks like an option is one this command does not have, or one given twice (Gogo takes the first).
     */
    static Message message(String[] words, String usage, String... options) {
        if (words == null || words.length == 0) {
            throw usage("no action name given", usage);
        }
        String action = String.valueOf(words[0]); // Gogo passes the word null as null
        if (action.startsWith("-")) {
            throw usage(Arrays.asList(options).contains(action) ? "option " + action + " given twice"
                    : "unknown option " + action, usage);
        }
        List<String> params = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            params.add(String.valueOf(words[i]));
        }
        try {
            return Message.of(action, String.join(" ", params));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage(), usage);
        }
    }

    static IllegalArgumentException usage(String message, String usage) {
        return new IllegalArgumentException(message + "\nusage: " + usage);
    }
}
