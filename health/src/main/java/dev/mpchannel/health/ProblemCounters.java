package dev.mpchannel.health;

import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Traffic;
import java.util.function.ToLongFunction;

/**
 * The counters of what went wrong on a channel: the totals over its table of actions, the same figures as the
 * channel's JMX attributes Errors, Ignored and Timeouts. The action table, unlike the table of peers, keeps its counts
 * when a peer leaves, so the totals only grow while the channel lives.
 *
 * @param errors   failed writes, failed actions, error answers
 * @param ignored  requests answered "ignored": unknown actions, or actions the whitelist refused
 * @param timeouts requests that got no answer in time
 */
record ProblemCounters(long errors, long ignored, long timeouts) {
    /** A channel that has just started. */
    static final ProblemCounters NONE = new ProblemCounters(0, 0, 0);

    static ProblemCounters of(ChannelStatus status) {
        return new ProblemCounters(total(status, Traffic::errors), total(status, Traffic::ignored),
                total(status, Traffic::timeouts));
    }

    private static long total(ChannelStatus status, ToLongFunction<Traffic> counter) {
        return status.actions().values().stream().mapToLong(counter).sum();
    }
}
