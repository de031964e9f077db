package dev.mpchannel.shell;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The value of {@code mp:request -t/--timeout}, which Gogo passes as a string: {@code 500ms}, {@code 2s}, {@code 1m},
 * or ISO-8601 such as {@code PT2S}; it must be positive. Gogo itself has no converter for {@link Duration}.
 */
final class Timeout {
    /** The timeout when {@code -t} is not given (the {@code absentValue} of the option). */
    static final String DEFAULT = "5s";

    private Timeout() {
    }

    /**
     * @throws IllegalArgumentException naming {@code value}, if it is not a positive duration in one of the forms
     */
    static Duration parse(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        try {
            if (text.startsWith("p")) {
                duration = Duration.parse(text);
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
            throw new IllegalArgumentException("timeout '" + value + "' is not a duration like 500ms, 2s or 1m");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, not '" + value + "'");
        }
        return duration;
    }
}
