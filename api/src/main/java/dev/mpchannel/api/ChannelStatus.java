package dev.mpchannel.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of a channel: where it is, what state it is in, who is connected, which actions are bound or refused,
 * and what has crossed it. For shells, consoles and monitoring; see {@link Channel#status()}.
 *
 * @param role           this side's role
 * @param prefix         the channel's name
 * @param socketPath     the socket the primary listens on
 * @param state          {@link State#LISTENING} (a primary), {@link State#CONNECTED} or
 *                       {@link State#CONNECTING} (a secondary), {@link State#CLOSED}
 * @param peers          the connected peers with their traffic, by peer id
 * @param boundActions   action names bound on this side
 * @param refusedActions action names of services that the whitelist refused
 * @param actions        traffic by action name (actions handled here and actions asked of peers)
 */
public record ChannelStatus(Role role, String prefix, String socketPath, State state, List<PeerStatus> peers,
        Set<String> boundActions, Set<String> refusedActions, Map<String, Traffic> actions) {

    /** Where a channel is in its life. */
    public enum State {
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
    public record PeerStatus(Peer peer, Traffic traffic) {
    }

    public ChannelStatus {
        peers = List.copyOf(peers);
        boundActions = Set.copyOf(boundActions);
        refusedActions = Set.copyOf(refusedActions);
        actions = Map.copyOf(actions);
    }
}
