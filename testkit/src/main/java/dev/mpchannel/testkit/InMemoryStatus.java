package dev.mpchannel.testkit;

import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Role;
import dev.mpchannel.api.Traffic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The status of an {@link InMemoryChannel}: its peers with their traffic; no socket (the path is
 * {@code in-memory:NAME}), no whitelist, nothing pending.
 */
record InMemoryStatus(Role role, String name, String socketPath, State state, List<PeerStatus> peers,
        Set<String> boundActions, Set<String> refusedActions, Map<String, Traffic> actions, int pendingRequests)
        implements ChannelStatus {

    /** A primary listens while open; a secondary is connected while it has its primary. */
    static InMemoryStatus of(Role role, String name, boolean closed, Map<Peer, PeerCounters> counters) {
        List<PeerStatus> peers = new ArrayList<>();
        counters.forEach((peer, count) -> peers.add(new PeerAndTraffic(peer, count.traffic())));
        State state = closed ? State.CLOSED : role == Role.PRIMARY ? State.LISTENING
                : counters.isEmpty() ? State.CONNECTING : State.CONNECTED;
        return new InMemoryStatus(role, name, "in-memory:" + name, state, List.copyOf(peers), Set.of(), Set.of(),
                Map.of(), 0);
    }

    private record PeerAndTraffic(Peer peer, Traffic traffic) implements PeerStatus {
    }
}
