package dev.mpchannel.health;

import dev.mpchannel.api.ChannelStatus.State;
import dev.mpchannel.api.ChannelStatus;
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
            peers.add(new PeerOf(new PeerAt(i, Role.SECONDARY, 1000 + i), NONE));
        }
        return status(Role.PRIMARY, State.LISTENING, peers, Map.of());
    }

    static ChannelStatus secondary(State state) {
        List<ChannelStatus.PeerStatus> peers = state == State.CONNECTED
                ? List.of(new PeerOf(new PeerAt(Peer.PRIMARY_ID, Role.PRIMARY, 4242), NONE))
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
        return new TrafficOf(7, 7, 700, 700, 0, 0, errors, ignored, timeouts);
    }

    private static ChannelStatus status(Role role, State state, List<ChannelStatus.PeerStatus> peers,
            Map<String, Traffic> actions) {
        return new StatusOf(role, "vswitch", SOCKET, state, peers, Set.of("demo.echo"), Set.of(), actions);
    }

    private static final Traffic NONE = new TrafficOf(0, 0, 0, 0, 0, 0, 0, 0, 0);

    private record StatusOf(Role role, String name, String socketPath, State state, List<PeerStatus> peers,
            Set<String> boundActions, Set<String> refusedActions, Map<String, Traffic> actions) implements ChannelStatus {
        @Override
        public int pendingRequests() {
            return 0;
        }
    }

    private record PeerOf(Peer peer, Traffic traffic) implements ChannelStatus.PeerStatus {
    }

    private record TrafficOf(long messagesIn, long messagesOut, long bytesIn, long bytesOut, long fdsIn, long fdsOut,
            long errors, long ignored, long timeouts) implements Traffic {
    }

    private record PeerAt(long id, Role role, long pid) implements Peer {
        @Override
        public String channel() {
            return "vswitch";
        }

        @Override
        public long uid() {
            return 0;
        }

        @Override
        public long gid() {
            return 0;
        }

        @Override
        public Instant connectedSince() {
            return Instant.EPOCH;
        }
    }
}
