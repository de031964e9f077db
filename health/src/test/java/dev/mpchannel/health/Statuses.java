package dev.mpchannel.health;

import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.ChannelStatus.State;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Role;
import dev.mpchannel.api.Traffic;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Channel snapshots for the tests, as a channel's status() would give them. */
final class Statuses {
    static final String SOCKET = "/run/mpchannel/vswitch.sock";

    private Statuses() {
    }

    static ChannelStatus primary(int secondaries) {
        List<ChannelStatus.PeerStatus> peers = new java.util.ArrayList<>();
        for (int i = 1; i <= secondaries; i++) {
            peers.add(new ChannelStatus.PeerStatus(new Peer(i, Role.SECONDARY, 1000 + i, 0, 0, Instant.EPOCH),
                    Traffic.NONE));
        }
        return status(Role.PRIMARY, State.LISTENING, peers, Map.of());
    }

    static ChannelStatus secondary(State state) {
        List<ChannelStatus.PeerStatus> peers = state == State.CONNECTED
                ? List.of(new ChannelStatus.PeerStatus(new Peer(Peer.PRIMARY_ID, Role.PRIMARY, 4242, 0, 0,
                        Instant.EPOCH), Traffic.NONE))
                : List.of();
        return status(Role.SECONDARY, state, peers, Map.of());
    }

    /** A listening primary whose action table holds these problem counts (split over two actions). */
    static ChannelStatus primaryWithProblems(long errors, long ignored, long timeouts) {
        return status(Role.PRIMARY, State.LISTENING, List.of(), Map.of(
                "demo.echo", problems(errors, 0, timeouts),
                "demo.nobody", problems(0, ignored, 0)));
    }

    private static Traffic problems(long errors, long ignored, long timeouts) {
        return new Traffic(7, 7, 700, 700, 0, 0, errors, ignored, timeouts);
    }

    private static ChannelStatus status(Role role, State state, List<ChannelStatus.PeerStatus> peers,
            Map<String, Traffic> actions) {
        return new ChannelStatus(role, "vswitch", SOCKET, state, peers, Set.of("demo.echo"), Set.of(), actions);
    }
}
