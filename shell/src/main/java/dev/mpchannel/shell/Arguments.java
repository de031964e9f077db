package dev.mpchannel.shell;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The command line of the {@code mp:} commands: options ({@code -c/--channel NAME} for all of them; also
 * {@code -p/--peer ID} for {@code mp:send} and {@code mp:request}, {@code -t/--timeout DURATION} for
 * {@code mp:request}), then, for {@code mp:send} and {@code mp:request}, the action name and its parameters (joined
 * with spaces).
 *
 * @param channel the channel named with {@code -c}, or {@code null} (then the only channel there is)
 * @param action  the action name, or {@code null} for a command that takes none
 */
record Arguments(String channel, Long peerId, Duration timeout, String action, String params) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The line of {@code mp:send} ({@code timeoutAllowed} false) or {@code mp:request}: options, ACTION, PARAMS. */
    static Arguments parse(String usage, boolean timeoutAllowed, String... args) {
        return parse(usage, true, timeoutAllowed, args);
    }

    /** The line of {@code mp:status}, {@code mp:peers}, {@code mp:actions}: only {@code -c NAME}, nothing else. */
    static Arguments channelOnly(String usage, String... args) {
        return parse(usage, false, false, args);
    }

    private static Arguments parse(String usage, boolean withAction, boolean timeoutAllowed, String... args) {
        String channel = null;
        Long peerId = null;
        Duration timeout = DEFAULT_TIMEOUT;
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\nusage: " + usage);
            }
            String value = args[i + 1];
            switch (option) {
                case "-c", "--channel" -> channel = channelName(value, usage);
                case "-p", "--peer" -> {
                    if (!withAction) {
                        throw new IllegalArgumentException("unknown option " + option + "\nusage: " + usage);
                    }
                    peerId = peerId(value, usage);
                }
                case "-t", "--timeout" -> {
                    if (!timeoutAllowed) {
                        throw new IllegalArgumentException("unknown option " + option + "\nusage: " + usage);
                    }
                    timeout = duration(value, usage);
                }
                default -> throw new IllegalArgumentException("unknown option " + option + "\nusage: " + usage);
            }
            i += 2;
        }
        if (!withAction) {
            if (i < args.length) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'\nusage: " + usage);
            }
            return new Arguments(channel, null, timeout, null, "");
        }
        if (i >= args.length) {
            throw new IllegalArgumentException("no action name given\nusage: " + usage);
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(i + 1, args.length));
        return new Arguments(channel, peerId, timeout, args[i], String.join(" ", rest));
    }

    private static String channelName(String value, String usage) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("channel name must not be empty (see mp:status)\nusage: " + usage);
        }
        return value;
    }

    private static long peerId(String value, String usage) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer id must be a number (see mp:peers), not '" + value + "'\nusage: " + usage);
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, or ISO-8601 such as {@code PT2S}; must be positive. */
    static Duration duration(String value, String usage) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        try {
            if (text.startsWith("p")) {
                duration = Duration.parse(value);
            } else if (text.endsWith("ms")) {
                duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                duration = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("m")) {
                duration = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            } else {
                throw new NumberFormatException(value);
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("timeout '" + value + "' is not a duration like 500ms, 2s or 1m\nusage: " + usage);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, not '" + value + "'\nusage: " + usage);
        }
        return duration;
    }
}
