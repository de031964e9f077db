package dev.mpchannel.bench.harness.handoff;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** The ways of the hand-off benchmark to read a reply, each a row of its table. */
enum HandoffVariant {
    DIRECT("direct", "the caller writes, then reads its reply itself (blocking channel): the lower bound"),
    HANDOFF_PARKED("handoff-parked", "a reader thread blocked in read() hands the reply to the caller, who parks"),
    HANDOFF_SPIN("handoff-spin", "the same, the caller spinning up to 50 µs before it parks (only with > 1 CPU)"),
    LEADER_FOLLOWER_PARKED("leader-follower-parked", "the caller leads: wakes the reader's selector, waits (parked) "
            + "until the reader stepped aside, reads its reply in its own selector, hands reading back"),
    LEADER_FOLLOWER_SPIN("leader-follower-spin", "the same, the caller spinning up to 50 µs (only with > 1 CPU) "
            + "before it parks while it waits for the reader to step aside");

    final String label;
    final String description;

    HandoffVariant(String label, String description) {
        this.label = label;
        this.description = description;
    }

    static HandoffVariant of(String label) {
        for (HandoffVariant v : values()) {
            if (v.label.equals(label)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no variant " + label);
    }

    Requester open(SocketChannel channel) throws IOException {
        return switch (this) {
            case DIRECT -> new DirectRequester(channel);
            case HANDOFF_PARKED -> new HandoffRequester(channel, false);
            case HANDOFF_SPIN -> new HandoffRequester(channel, true);
            case LEADER_FOLLOWER_PARKED -> new LeaderFollowerRequester(channel, false);
            case LEADER_FOLLOWER_SPIN -> new LeaderFollowerRequester(channel, true);
        };
    }
}
