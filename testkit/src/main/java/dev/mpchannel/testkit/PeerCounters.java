package dev.mpchannel.testkit;

import dev.mpchannel.api.Traffic;
import java.util.concurrent.atomic.AtomicLong;

/** What crossed between an {@link InMemoryChannel} and one peer: messages only (no bytes, no descriptors). */
final class PeerCounters {
    final AtomicLong messagesIn = new AtomicLong();
    final AtomicLong messagesOut = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();

    /** The counts now. */
    Traffic traffic() {
        return new Counted(messagesIn.get(), messagesOut.get(), 0, 0, 0, 0, errors.get(), ignored.get(),
                timeouts.get());
    }

    private record Counted(long messagesIn, long messagesOut, long bytesIn, long bytesOut, long fdsIn, long fdsOut,
            long errors, long ignored, long timeouts) implements Traffic {
    }
}
