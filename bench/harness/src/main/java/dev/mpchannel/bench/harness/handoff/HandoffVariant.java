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
            + "before it parks while it waits for the reader to step aside"),
    STICKY_PARKED_50("sticky-parked-50us", "the caller leads as in leader-follower-parked and keeps the reading "
            + "50 µs after its reply: a request within that reads its reply with no wake-up of the reader, which parks "
            + "(timed) and takes the reading back once 50 µs pass with no request", 50_000),
    STICKY_PARKED_200("sticky-parked-200us", "the same with a grace of 200 µs", 200_000),
    STICKY_PARKED_10MS("sticky-parked-10ms", "the same with a grace of 10 ms: the reader hardly ever wakes, so this is "
            + "what the caller's own reading costs without the reader's timed wake-ups (a frame unasked may wait "
            + "10 ms)", 10_000_000),
    STICKY_SPIN_200("sticky-spin-200us", "the same, the caller polling the channel up to 50 µs (only with > 1 CPU) "
            + "before it waits in its selector", 200_000);

    final String label;
    final String description;
    // how long a sticky leader keeps the reading after its reply; 0 for the others
    final long graceNanos;

    HandoffVariant(String label, String description) {
        this(label, description, 0);
    }

    HandoffVariant(String label, String description, long graceNanos) {
        this.label = label;
        this.description = description;
        this.graceNanos = graceNanos;
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
            // the echo server sends nothing unasked: the note counts what came anyway
            case STICKY_PARKED_50, STICKY_PARKED_200, STICKY_PARKED_10MS -> new StickyLeaderRequester(channel, false, graceNanos, seq -> {
            });
            case STICKY_SPIN_200 -> new StickyLeaderRequester(channel, true, graceNanos, seq -> {
            });
        };
    }
}
