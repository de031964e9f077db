package dev.mpchannel.transport.config;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.channel.action.Whitelist;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.channel.peer.Handoffs;
import dev.mpchannel.transport.channel.peer.PeerPolicy;
import dev.mpchannel.transport.dpdk.DpdkLayout;
import dev.mpchannel.transport.dpdk.DpdkPaths;
import dev.mpchannel.transport.dpdk.DpdkWire;
import dev.mpchannel.transport.socket.SocketAccess;
import dev.mpchannel.transport.socket.SocketPaths;
import dev.mpchannel.transport.socket.StreamWire;
import dev.mpchannel.transport.socket.Wire;
import dev.mpchannel.transport.wire.FrameLimits;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A channel's configuration checked and turned into what the channel uses; every error names the key to fix. The
 * role is {@code null} while {@code role=auto} is undecided.
 */
public record ChannelSettings(Role role, SocketPaths paths, Whitelist whitelist, FrameLimits limits, Capacity capacity,
        SocketAccess access, PeerPolicy peerPolicy, PrimaryLoss primaryLoss, Wire wire, Handoffs handoffs) {
    /** The value of {@code role} that lets the process decide: primary if no primary is alive, else secondary. */
    public static final String AUTO = "auto";

    /** What a secondary does when its primary goes away ({@code primary.loss}). */
    public enum PrimaryLoss {
        /** Connect again, with backoff, its actions staying bound. */
        RECONNECT,
        /** Close the channel until the configuration changes. */
        STOP
    }

    /** The longest a request may spin or a reader hold its action, in µs: the most a {@code Duration} of nanoseconds holds. */
    private static final long MAX_MICROS = Long.MAX_VALUE / 1000;

    /**
     * The settings of a channel's configuration, from its properties as ConfigAdmin holds them; each key is checked
     * before it is used.
     *
     * @throws IllegalArgumentException naming the key that is wrong, its value and what is allowed (a
     *                                  {@link ConfigurationProblem} for the checks made here, which are most)
     */
    public static ChannelSettings of(Map<String, ?> properties) {
        ChannelProperties config = ChannelProperties.of(properties);
        String configuredRole = config.choice("role", "primary", "secondary", AUTO);
        Role role = AUTO.equals(configuredRole) ? null : Role.valueOf(configuredRole.toUpperCase(Locale.ROOT));
        String prefix = config.string("prefix").strip();
        String socketDir = config.directory("socket.dir");
        Whitelist whitelist = Whitelist.of(config.strings(Whitelist.KEY).toArray(String[]::new));
        int maxMessageBytes = config.integer("max.message.bytes", 0, FrameLimits.MAX_PARAMS_BYTES);
        int inlineMaxBytes = config.integer("inline.max.bytes", 0, Integer.MAX_VALUE);
        int maxFds = config.integer("max.fds", 0, ChannelProperties.MAX_FDS);
        Capacity capacity = new Capacity(config.integer("action.threads", 1, Integer.MAX_VALUE),
                config.integer("queue.depth", 1, Integer.MAX_VALUE), config.integer("max.peers", 1, Integer.MAX_VALUE),
                Duration.ofMillis(config.number("write.timeout.ms", 1, Long.MAX_VALUE)),
                config.integer("read.threads", 0, Integer.MAX_VALUE));
        PeerPolicy peerPolicy = PeerPolicy.of(config.ids(PeerPolicy.UIDS_KEY, PeerPolicy.MAX_ID),
                config.ids(PeerPolicy.GIDS_KEY, PeerPolicy.MAX_ID));
        PrimaryLoss primaryLoss = PrimaryLoss.valueOf(config.choice("primary.loss", "reconnect", "stop")
                .toUpperCase(Locale.ROOT));
        Handoffs handoffs = Handoffs.of(config.number("request.spin.us", 0, MAX_MICROS),
                config.number("reader.handoff.us", 0, MAX_MICROS));
        DpdkWire dpdk = dpdk(config, role);
        FrameLimits limits;
        if (dpdk == null) {
            limits = new FrameLimits(maxMessageBytes, maxFds, inlineMaxBytes);
        } else {
            if (maxFds > dpdk.layout().maxFds()) {
                throw new ConfigurationProblem("max.fds=" + maxFds + " is out of range for wire=dpdk with "
                        + DpdkLayout.KEY + "=" + dpdk.layout().version() + " (allowed: 0.." + dpdk.layout().maxFds()
                        + ", DPDK's RTE_MP_MAX_FD_NUM)");
            }
            // DPDK's datagram: parameters inline only, up to 256 bytes; descriptors up to what both sides take
            limits = new FrameLimits(DpdkLayout.MAX_PARAM_BYTES,
                    Math.min(maxFds, dpdk.maxFds(FrameLimits.MAX_RECEIVABLE_FDS)), DpdkLayout.MAX_PARAM_BYTES);
        }
        SocketPaths paths = SocketPaths.of(socketDir, prefix);
        Wire wire = dpdk != null ? dpdk : new StreamWire(paths.socket(), limits);
        return new ChannelSettings(role, paths, whitelist, limits, capacity,
                new SocketAccess(config.string(SocketAccess.GROUP_KEY)), peerPolicy, primaryLoss, wire, handoffs);
    }

    /** The channel's DPDK options with {@code wire=dpdk}, else {@code null}. */
    private static DpdkWire dpdk(ChannelProperties config, Role role) {
        if (!"dpdk".equals(config.choice("wire", "mpchannel", "dpdk"))) {
            return null;
        }
        if (role != Role.SECONDARY) {
            throw new ConfigurationProblem("role=" + config.string("role").strip() + " is not allowed with wire=dpdk "
                    + "(allowed: secondary; a DPDK application's primary is the DPDK process itself)");
        }
        String runtimeDir = config.directory(DpdkPaths.DIR_KEY);
        DpdkLayout layout = DpdkLayout.of(config.string(DpdkLayout.KEY));
        return new DpdkWire(DpdkPaths.of(runtimeDir, config.string(DpdkPaths.PREFIX_KEY),
                PeerPolicy.currentUid()), layout);
    }

    /** The socket of the channel's primary: where a primary listens, or where a secondary connects. */
    public java.nio.file.Path socketPath() {
        return wire.primarySocket();
    }

    /** The channel's name: its prefix. */
    public String name() {
        return paths.prefix();
    }

    /** This configuration with its role decided (for role=auto). */
    public ChannelSettings as(Role decided) {
        return new ChannelSettings(decided, paths, whitelist, limits, capacity, access, peerPolicy, primaryLoss, wire, handoffs);
    }
}
