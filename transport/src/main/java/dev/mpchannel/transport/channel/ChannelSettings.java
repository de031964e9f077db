package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.socket.SocketAccess;
import dev.mpchannel.transport.socket.SocketPaths;
import dev.mpchannel.transport.wire.FrameLimits;
import java.time.Duration;
import java.util.Locale;

/**
 * A channel's configuration checked and turned into what the channel uses; every error names the key to fix. The
 * role is {@code null} while {@code role=auto} is undecided.
 */
public record ChannelSettings(Role role, SocketPaths paths, Whitelist whitelist, FrameLimits limits, Capacity capacity,
        SocketAccess access, PeerPolicy peerPolicy, PrimaryLoss primaryLoss) {
    /** The value of {@code role} that lets the process decide: primary if no primary is alive, else secondary. */
    public static final String AUTO = "auto";

    /** What a secondary does when its primary goes away ({@code primary.loss}). */
    public enum PrimaryLoss {
        /** Connect again, with backoff, its actions staying bound. */
        RECONNECT,
        /** Close the channel until the configuration changes. */
        STOP
    }

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
                PeerPolicy.of(config.allowed_uids(), config.allowed_gids()),
                primaryLoss(config.primary_loss()));
    }

    /** The channel's name: its prefix. */
    public String name() {
        return paths.prefix();
    }

    /** This configuration with its role decided (for role=auto). */
    public ChannelSettings as(Role decided) {
        return new ChannelSettings(decided, paths, whitelist, limits, capacity, access, peerPolicy, primaryLoss);
    }

    private static boolean isAuto(String configured) {
        return configured != null && AUTO.equalsIgnoreCase(configured.strip());
    }

    private static Role role(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("the channel configuration has no role: set role to primary, "
                    + "secondary or auto");
        }
        try {
            return Role.valueOf(configured.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be 'primary', 'secondary' or 'auto', not '" + configured + "'");
        }
    }

    private static PrimaryLoss primaryLoss(String configured) {
        try {
            return PrimaryLoss.valueOf(configured.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("primary.loss must be reconnect or stop, not '" + configured + "'");
        }
    }
}
