package dev.mpchannel.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of a channel: where it is, what state it is in, who is connected, which actions are bound or refused,
 * and what has crossed it. For shells, consoles and monitoring:
 * <pre>{@code
 * ChannelStatus status = channel.status();
 * for (ChannelStatus.PeerStatus peer : status.peers()) {
 *     System.out.println(peer.peer() + ": " + peer.traffic().messagesIn() + " in");
 * }
 * }</pre>
 *
 * @since 2.0
 */
@org.osgi.annotation.versioning.ProviderType
public interface ChannelStatus {
    /** Where a channel is in its life. */
    enum State {
        /** A primary accepting secondaries. */
        LISTENING,
        /** A secondary connected to its primary. */
        CONNECTED,
        /** A secondary waiting for (or reconnecting to) its primary. */
        CONNECTING,
        /** Closed: deactivated or reconfigured. */
        CLOSED
    }

    /** A connected peer and what crossed between it and this side. */
    @org.osgi.annotation.versioning.ProviderType
    interface PeerStatus {
        /** The peer. */
        Peer peer();

        /** What crossed between it and this side. */
        Traffic traffic();
    }

    /** This side's role. */
    Role role();

    /** The channel's name (its configured prefix). */
    String name();

    /** The socket the primary listens on. */
    String socketPath();

    /** {@code LISTENING} (a primary), {@code CONNECTED} or {@code CONNECTING} (a secondary), {@code CLOSED}. */
    State state();

    /** The connected peers with their traffic, by peer id. */
    List<PeerStatus> peers();

    /** Action names bound on this side. */
    Set<String> boundActions();

    /** Action names of services that the whitelist refused. */
    Set<String> refusedActions();

    /** Traffic by action name (actions handled here and actions asked of peers). */
    Map<String, Traffic> actions();

    /** How many of this side's requests wait for answers now (a cancelled or ended one no longer does). */
    int pendingRequests();
}
