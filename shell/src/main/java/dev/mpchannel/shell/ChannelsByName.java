package dev.mpchannel.shell;

import dev.mpchannel.api.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The channels the commands can reach, by name (the service property {@value Channel#NAME}), and the choice of one:
 * by {@code -c NAME}, or the only one there is; the errors list the channels there are.
 */
final class ChannelsByName {
    static final String NO_CHANNEL = "no mpchannel Channel service: configure a channel with a factory configuration "
            + "dev.mpchannel.channel (e.g. a file dev.mpchannel.channel-NAME.cfg) and install its impl bundle "
            + "(mpchannel-impl-primary or mpchannel-impl-secondary)";

    /** A channel and its role ({@code primary} or {@code secondary}). */
    record Bound(Channel channel, String role) {
    }

    private final ConcurrentSkipListMap<String, Bound> channels = new ConcurrentSkipListMap<>();

    /** Adds a channel service, named and given its role by its service properties. */
    void add(Channel channel, Map<String, ?> properties) {
        Object name = properties.get(Channel.NAME);
        Object role = properties.get(Channel.ROLE);
        add(name != null && !name.toString().isBlank() ? name.toString() : channel.name(), channel,
                role != null ? role.toString() : channel.role().name().toLowerCase(Locale.ROOT));
    }

    void add(String name, Channel channel, String role) {
        channels.put(name, new Bound(channel, role));
    }

    /** Removes a channel service, by identity: its properties may have changed since it was added. */
    void remove(Channel channel) {
        channels.values().removeIf(bound -> bound.channel() == channel);
    }

    /** Every channel, by name; at least one. */
    NavigableMap<String, Bound> all() {
        NavigableMap<String, Bound> all = new TreeMap<>(channels); // one snapshot: channels come and go meanwhile
        if (all.isEmpty()) {
            throw new IllegalStateException(NO_CHANNEL);
        }
        return all;
    }

    /** The channel named {@code name}, or without a name the only one there is. */
    Map.Entry<String, Bound> select(String name, String usage) {
        NavigableMap<String, Bound> all = new TreeMap<>(channels);
        if (name != null) {
            Bound bound = all.get(name);
            if (bound != null) {
                return Map.entry(name, bound);
            }
            if (all.isEmpty()) {
                throw new IllegalArgumentException("no channel named '" + name + "': " + NO_CHANNEL);
            }
            throw new IllegalArgumentException("no channel named '" + name + "'; the channels are: " + list(all)
                    + "\nusage: " + usage);
        }
        if (all.isEmpty()) {
            throw new IllegalStateException(NO_CHANNEL);
        }
        if (all.size() > 1) {
            throw new IllegalArgumentException(all.size() + " channels: " + list(all) + "; pick one with -c NAME"
                    + "\nusage: " + usage);
        }
        return all.firstEntry();
    }

    /** {@code a (primary), b (secondary)}. */
    private static String list(NavigableMap<String, Bound> all) {
        List<String> names = new ArrayList<>();
        all.forEach((name, bound) -> names.add(name + " (" + bound.role() + ")"));
        return String.join(", ", names);
    }
}
