package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.socket.SocketPaths;
import dev.mpchannel.transport.wire.FrameLimits;
import dev.mpchannel.api.Channel;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;

/** A configuration checked and turned into what the channel uses; every error names the key to fix. */
public record ChannelSettings(Role role, SocketPaths paths, Whitelist whitelist, FrameLimits limits, int actionThreads) {

    /**
     * @throws IllegalArgumentException naming the configuration key that is wrong
     */
    public static ChannelSettings of(ChannelConfiguration config) {
        if (config.action_threads() < 1) {
            throw new IllegalArgumentException("action.threads must be at least 1, not " + config.action_threads());
        }
        return new ChannelSettings(
                role(config.role()),
                SocketPaths.of(config.socket_dir(), config.prefix()),
                Whitelist.of(config.allowed_actions()),
                new FrameLimits(config.max_message_bytes(), config.max_fds()),
                config.action_threads());
    }

    /** The properties the Channel service is registered with, so users can pick a side or a channel by filter. */
    public Dictionary<String, Object> serviceProperties() {
        return new Hashtable<>(Map.of(
                Channel.ROLE, role.name().toLowerCase(Locale.ROOT),
                "mp.prefix", paths.prefix(),
                "mp.socket.path", paths.socket().toString()));
    }

    /** The configured role, or {@code null} when the key is missing. */
    public static Role role(String configured) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        try {
            return Role.valueOf(configured.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be 'primary' or 'secondary', not '" + configured + "'");
        }
    }
}
