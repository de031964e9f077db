package dev.mpchannel.transport.channel.action;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The action names a channel binds: exact names or globs ({@code *} any run of characters, {@code ?} one).
 * Entries may also be comma-separated within one string, as configuration files tend to give them. Empty allows
 * nothing: an action reaches the channel only when someone chose to let it.
 */
public final class Whitelist {
    /** The configuration key that lists the allowed names, quoted in every refusal. */
    public static final String KEY = "allowed.actions";

    private final List<String> entries;
    private final List<Pattern> patterns;

    private Whitelist(List<String> entries) {
        this.entries = List.copyOf(entries);
        this.patterns = entries.stream().map(Whitelist::toPattern).toList();
    }

    public static Whitelist of(String... configured) {
        List<String> entries = new ArrayList<>();
        for (String value : configured) {
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        }
        return new Whitelist(entries);
    }

    public boolean allows(String action) {
        return patterns.stream().anyMatch(p -> p.matcher(action).matches());
    }

    private static Pattern toPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String literal : glob.split("((?<=[*?])|(?=[*?]))")) {
            switch (literal) {
                case "*" -> regex.append(".*");
                case "?" -> regex.append('.');
                default -> regex.append(Pattern.quote(literal));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @Override
    public String toString() {
        return entries.isEmpty() ? "(empty: no action allowed)" : String.join(", ", entries);
    }
}
