package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Traffic;
import java.util.concurrent.atomic.LongAdder;

/** Live counters behind a {@link Traffic} snapshot; updated from reader, writer and timer threads at once. */
final class TrafficCounter {
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder fdsIn = new LongAdder();
    private final LongAdder fdsOut = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder timeouts = new LongAdder();

    void received(long bytes, int fds) {
        messagesIn.increment();
        bytesIn.add(bytes);
        fdsIn.add(fds);
    }

    void sent(long bytes, int fds) {
        messagesOut.increment();
        bytesOut.add(bytes);
        fdsOut.add(fds);
    }

    void error() {
        errors.increment();
    }

    void ignored() {
        ignored.increment();
    }

    void timeout() {
        timeouts.increment();
    }

    Traffic snapshot() {
        return new Traffic(messagesIn.sum(), messagesOut.sum(), bytesIn.sum(), bytesOut.sum(), fdsIn.sum(),
                fdsOut.sum(), errors.sum(), ignored.sum(), timeouts.sum());
    }
}
