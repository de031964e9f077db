package dev.mpchannel.transport.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A channel configuration as its launcher takes it: checked whole before anything starts, with what is wrong in
 * words an operator can act on. Its label names the channel by its prefix and the configuration by its PID, or by
 * the PID alone when the prefix itself is wrong.
 *
 * @param name     the channel's name: its prefix, or the configuration's PID when the prefix is not valid
 * @param label    how log lines name the channel, e.g. {@code channel 'vswitch' (dev.mpchannel.channel~vswitch)}
 * @param settings the checked settings, {@code null} when the configuration is not valid
 * @param problem  what is wrong ({@code key=value ... (allowed: ...)}), {@code null} when it is valid
 * @param warnings the configuration's unknown keys, each with the known key it likely misspells
 */
public record CheckedConfiguration(String name, String label, ChannelSettings settings, String problem,
        List<String> warnings) {
    // The rule of SocketPaths: a prefix that breaks it cannot name the channel in a log line.
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

    /** Checks every key of a configuration's properties. */
    public static CheckedConfiguration read(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        ChannelProperties config = ChannelProperties.of(properties);
        String prefix;
        try {
            prefix = config.string("prefix").strip();
        } catch (IllegalArgumentException e) {
            prefix = null;
        }
        boolean named = prefix != null && PREFIX.matcher(prefix).matches();
        String name = named ? prefix : String.valueOf(pid);
        String label = named ? "channel '" + prefix + "' (" + pid + ")" : "channel " + pid;
        List<String> warnings = config.unknownKeys();
        try {
            return new CheckedConfiguration(name, label, ChannelSettings.of(properties), null, warnings);
        } catch (IllegalArgumentException e) { // every check's failure: the key, its value and what is allowed
            return new CheckedConfiguration(name, label, null, e.getMessage(), warnings);
        }
    }

    /** Whether the channel may start. */
    public boolean valid() {
        return settings != null;
    }
}
