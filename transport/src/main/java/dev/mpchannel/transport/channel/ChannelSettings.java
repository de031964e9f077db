package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.socket.SocketAccess;
import dev.mpchannel.transport.socket.SocketPaths;
import dev.mpchannel.transport.wire.FrameLimits;
import dev.mpchannel.api.Channel;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;

/**
 * A configuration checked and turned into what the channel uses; every error names the key to fix. The role is
 * {@code null} while role=auto is undecided; see {@link RoleArbiter}.
 */
public record ChannelSettings(Role role, SocketPaths paths, Whitelist whitelist, FrameLimits limits, Capacity capacity,
        SocketAccess access, PeerPolicy peerPolicy) {
    /** The value of {@code role} that lets the process decide: primary if no primary is alive, else secondary. */
    public static final String AUTO = "auto";


    /**
     * @throws IllegalArgumentException naming the configuration key that is wrong
     */
    public static ChannelSettings of(ChannelConfiguration config) {
        return new ChannelSettings(
                isAuto(config.role()) ? null : role(config.role()),
                SocketPaths.of(config.socket_dir(), config.prefix()),
                Whitelist.of(config.allowed_actions()),
                new FrameLimits(config.max_message_bytes(), config.max_fds(), config.inline_max_bytes()),
                new Capacity(config.action_threads(), config.queue_depth(), config.max_peers(),
                        Duration.ofMillis(config.write_timeout_ms())),
                new SocketAccess(config.socket_group()),
                PeerPolicy.of(config.allowed_uids(), config.allowed_gids()));
    }

    /** The properties the Channel service is registered with, so users can pick a side or a channel by filter. */
    public Dictionary<String, Object> serviceProperties() {
        return new Hashtable<>(Map.of(
                Channel.ROLE, role.name().toLowerCase(Locale.ROOT),
                "mp.prefix", paths.prefix(),
                "mp.socket.path", paths.socket().toString()));
    }

    /** Whether the configured role is {@value #AUTO}. */
    public static boolean isAuto(String configured) {
        return configured != null && AUTO.equalsIgnoreCase(configured.strip());
    }

    /** This configuration with its role decided (for role=auto). */
    public ChannelSettings as(Role decided) {
        return new ChannelSettings(decided, paths, whitelist, limits, capacity, access, peerPolicy);
    }

    /** The configured role ({@code null} for auto). */
    public static Role role(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("the configuration dev.mpchannel has no role: set role to primary, "
                    + "secondary or auto");
        }
        try {
            return Role.valueOf(configured.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be 'primary', 'secondary' or 'auto', not '" + configured + "'");
        }
    }
}
