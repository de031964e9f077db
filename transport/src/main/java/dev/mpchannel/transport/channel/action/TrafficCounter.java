package dev.mpchannel.transport.channel.action;

import dev.mpchannel.api.Traffic;
import java.util.concurrent.atomic.LongAdder;

/** Live counters behind a {@link Traffic} snapshot; updated from reader, writer and timer threads at once. */
public final class TrafficCounter {
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder fdsIn = new LongAdder();
    private final LongAdder fdsOut = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder timeouts = new LongAdder();

    public void received(int messages, long bytes, long fds) {
        messagesIn.add(messages);
        bytesIn.add(bytes);
        if (fds != 0) { // most frames carry none: one atomic update fewer
            fdsIn.add(fds);
        }
    }

    public void sent(int messages, long bytes, long fds) {
        messagesOut.add(messages);
        bytesOut.add(bytes);
        if (fds != 0) {
            fdsOut.add(fds);
        }
    }

    public void error() {
        errors.increment();
    }

    public void ignored() {
        ignored.increment();
    }

    public void timeout() {
        timeouts.increment();
    }

    public Traffic snapshot() {
        return new TrafficSnapshot(messagesIn.sum(), messagesOut.sum(), bytesIn.sum(), bytesOut.sum(), fdsIn.sum(),
                fdsOut.sum(), errors.sum(), ignored.sum(), timeouts.sum());
    }
}
