package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.channel.action.ActionRegistry;
import dev.mpchannel.transport.channel.action.Whitelist;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.channel.peer.Handoffs;
import dev.mpchannel.transport.channel.peer.PeerPolicy;
import dev.mpchannel.transport.config.ChannelSettings;
import dev.mpchannel.transport.socket.Listener;
import dev.mpchannel.transport.socket.SocketAccess;
import dev.mpchannel.transport.socket.SocketPaths;
import dev.mpchannel.transport.socket.StreamWire;
import dev.mpchannel.transport.socket.StreamConnection;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A primary and its secondaries in one JVM over a real Unix socket, for tests (also of other modules, through this
 * module's test jar): the same endpoints, listener and connections the components use, without OSGi.
 */
public final class LocalChannels implements AutoCloseable {
    public static final FrameLimits LIMITS = new FrameLimits(4096, 4, 4096);
    private final FrameLimits limits;
    private static final Capacity TEST_CAPACITY = new Capacity(2, 1024, 4096, Duration.ofSeconds(30));

    private final SocketPaths paths;
    private final PeerPolicy policy;
    private final Capacity capacity;
    private final Handoffs handoffs;
    private final ChannelRuntime primary;
    private final Acceptor acceptor;
    private final List<ChannelRuntime> secondaries = new ArrayList<>();

    private LocalChannels(SocketPaths paths, PeerPolicy policy, Capacity capacity, FrameLimits limits,
            String... primaryWhitelist) throws IOException {
        this(paths, SocketAccess.PRIVATE, policy, capacity, limits, Handoffs.DEFAULT, primaryWhitelist);
    }

    private LocalChannels(SocketPaths paths, SocketAccess access, PeerPolicy policy, Capacity capacity,
            FrameLimits limits, Handoffs handoffs, String... primaryWhitelist) throws IOException {
        this.paths = paths;
        this.handoffs = handoffs;
        this.limits = limits;
        this.policy = policy;
        this.capacity = capacity;
        ActionRegistry actions = new ActionRegistry(Whitelist.of(primaryWhitelist));
        this.primary = new ChannelRuntime(settings(Role.PRIMARY), actions);
        this.acceptor = Acceptor.start(Listener.bind(paths, access), primary);
    }

    /** Starts a primary listening in {@code directory} whose whitelist is {@code primaryWhitelist}. */
    public static LocalChannels start(Path directory, String... primaryWhitelist) throws IOException {
        return new LocalChannels(new SocketPaths(directory, "test"), PeerPolicy.ownUserOnly(), TEST_CAPACITY,
                LIMITS, primaryWhitelist);
    }

    /** Starts a primary (and later secondaries) with the given capacity. */
    public static LocalChannels start(Path directory, Capacity capacity, String... primaryWhitelist) throws IOException {
        return new LocalChannels(new SocketPaths(directory, "test"), PeerPolicy.ownUserOnly(), capacity, LIMITS,
                primaryWhitelist);
    }

    /** Starts a primary (and later secondaries) with the given capacity and frame limits. */
    public static LocalChannels start(Path directory, Capacity capacity, FrameLimits limits, String... primaryWhitelist)
            throws IOException {
        return new LocalChannels(new SocketPaths(directory, "test"), PeerPolicy.ownUserOnly(), capacity, limits,
                primaryWhitelist);
    }

    /** Starts a primary whose socket the file system opens to {@code access}, admitting peers by {@code policy}. */
    public static LocalChannels start(Path directory, SocketAccess access, PeerPolicy policy, String... primaryWhitelist)
            throws IOException {
        return new LocalChannels(new SocketPaths(directory, "test"), access, policy, TEST_CAPACITY, LIMITS,
                Handoffs.DEFAULT, primaryWhitelist);
    }

    /** Starts a primary (and later secondaries) that save thread hand-offs as {@code handoffs} says. */
    public static LocalChannels start(Path directory, Handoffs handoffs, String... primaryWhitelist)
            throws IOException {
        return new LocalChannels(new SocketPaths(directory, "test"), SocketAccess.PRIVATE,
                PeerPolicy.ownUserOnly(), TEST_CAPACITY, LIMITS, handoffs, primaryWhitelist);
    }

    /** Starts a primary (and later secondaries) with the given capacity, saving thread hand-offs as {@code handoffs} says. */
    public static LocalChannels start(Path directory, Capacity capacity, Handoffs handoffs, String... primaryWhitelist)
            throws IOException {
        return new LocalChannels(new SocketPaths(directory, "test"), SocketAccess.PRIVATE,
                PeerPolicy.ownUserOnly(), capacity, LIMITS, handoffs, primaryWhitelist);
    }

    public static LocalChannels start(Path directory, PeerPolicy policy, String... primaryWhitelist) throws IOException {
        return new LocalChannels(new SocketPaths(directory, "test"), policy, TEST_CAPACITY, LIMITS, primaryWhitelist);
    }

    public SocketPaths paths() {
        return paths;
    }

    public ChannelRuntime primary() {
        return primary;
    }

    /** A secondary endpoint with an empty registry, not connected (to test life without a primary). */
    public ChannelRuntime unconnectedSecondary() {
        ChannelRuntime endpoint = new ChannelRuntime(settings(Role.SECONDARY), new ActionRegistry(Whitelist.of()));
        secondaries.add(endpoint);
        return endpoint;
    }

    /** Connects a new secondary whose whitelist is {@code whitelist}, and waits until the primary has it. */
    public ChannelRuntime connectSecondary(String... whitelist) throws IOException, InterruptedException {
        ChannelRuntime endpoint = new ChannelRuntime(settings(Role.SECONDARY), new ActionRegistry(Whitelist.of(whitelist)));
        secondaries.add(endpoint);
        int before = primary.peers().size();
        endpoint.attach(StreamConnection.connect(paths.socket(), limits));
        awaitPeers(before + 1);
        return endpoint;
    }

    public List<ChannelRuntime> secondaries() {
        return secondaries;
    }

    /** Waits (up to 30 s) until the primary has {@code count} peers, and fails if it never does. */
    public void awaitPeers(int count) throws InterruptedException {
        for (int i = 0; i < 3000 && primary.peers().size() != count; i++) {
            Thread.sleep(10);
        }
        if (primary.peers().size() != count) {
            throw new AssertionError("expected " + count + " peers, the primary has " + primary.peers().size());
        }
    }

    private ChannelSettings settings(Role role) {
        return new ChannelSettings(role, paths, Whitelist.of(), limits, capacity, SocketAccess.PRIVATE, policy,
                ChannelSettings.PrimaryLoss.RECONNECT, new StreamWire(paths.socket(), limits), handoffs);
    }

    @Override
    public void close() throws IOException {
        secondaries.forEach(ChannelRuntime::close);
        try {
            acceptor.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
