package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.dpdk.DpdkLayout;
import dev.mpchannel.transport.dpdk.DpdkOptions;
import dev.mpchannel.transport.dpdk.DpdkPaths;
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
        SocketAccess access, PeerPolicy peerPolicy, PrimaryLoss primaryLoss, DpdkOptions dpdk, Handoffs handoffs) {
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
        Role role = isAuto(config.role()) ? null : role(config.role());
        DpdkOptions dpdk = dpdk(config, role);
        FrameLimits limits = dpdk == null
                ? new FrameLimits(config.max_message_bytes(), config.max_fds(), config.inline_max_bytes())
                // DPDK's datagram: parameters inline only, up to 256 bytes; descriptors up to what both sides take
                : new FrameLimits(DpdkLayout.MAX_PARAM_BYTES,
                        Math.min(config.max_fds(), dpdk.maxFds(FrameLimits.MAX_RECEIVABLE_FDS)),
                        DpdkLayout.MAX_PARAM_BYTES);
        return new ChannelSettings(
                role,
                SocketPaths.of(config.socket_dir(), config.prefix()),
                Whitelist.of(config.allowed_actions()),
                limits,
                new Capacity(config.action_threads(), config.queue_depth(), config.max_peers(),
                        Duration.ofMillis(config.write_timeout_ms())),
                new SocketAccess(config.socket_group()),
                PeerPolicy.of(config.allowed_uids(), config.allowed_gids()),
                primaryLoss(config.primary_loss()),
                dpdk,
                Handoffs.of(config.request_spin_us(), config.reader_handoff_us()));
    }

    /** The channel's DPDK options with {@code wire=dpdk}, else {@code null}. */
    private static DpdkOptions dpdk(ChannelConfiguration config, Role role) {
        String wire = config.wire() == null ? "" : config.wire().strip().toLowerCase(Locale.ROOT);
        switch (wire) {
            case "", "mpchannel" -> {
                return null;
            }
            case "dpdk" -> {
                if (role != Role.SECONDARY) {
                    throw new IllegalArgumentException("with wire=dpdk, role must be secondary (a DPDK application's "
                            + "primary is the DPDK process itself), not '" + config.role() + "'");
                }
                return new DpdkOptions(DpdkPaths.of(config.dpdk_runtime_dir(), config.dpdk_file_prefix(),
                        PeerPolicy.currentUid()), DpdkLayout.of(config.dpdk_layout()));
            }
            default -> throw new IllegalArgumentException("wire must be mpchannel or dpdk, not '" + config.wire() + "'");
        }
    }

    /** The socket of the channel's primary: where a primary listens, or where a secondary connects. */
    public java.nio.file.Path socketPath() {
        return dpdk == null ? paths.socket() : dpdk.paths().primarySocket();
    }

    /** The channel's name: its prefix. */
    public String name() {
        return paths.prefix();
    }

    /** This configuration with its role decided (for role=auto). */
    public ChannelSettings as(Role decided) {
        return new ChannelSettings(decided, paths, whitelist, limits, capacity, access, peerPolicy, primaryLoss, dpdk, handoffs);
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
