package dev.mpchannel.transport.channel;

import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Role;
import dev.mpchannel.api.Traffic;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A channel's status at one moment, as {@link ChannelRuntime#status()} takes it. */
record StatusSnapshot(Role role, String name, String socketPath, State state, List<PeerStatus> peers,
        Set<String> boundActions, Set<String> refusedActions, Map<String, Traffic> actions, int pendingRequests)
        implements ChannelStatus {
    StatusSnapshot {
        peers = List.copyOf(peers);
        boundActions = Set.copyOf(boundActions);
        refusedActions = Set.copyOf(refusedActions);
        actions = Map.copyOf(actions);
    }

    /** One peer's part of it. */
    record PeerSnapshot(Peer peer, Traffic traffic) implements PeerStatus {
    }
}
