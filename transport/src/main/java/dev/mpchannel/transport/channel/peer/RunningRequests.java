package dev.mpchannel.transport.channel.peer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests of one peer that this side has taken and not yet answered, queued or running, by request id: what a
 * cancel from the peer, or the peer going away, reaches.
 */
final class RunningRequests {
    private final Map<Long, ReceivedContext> byId = new ConcurrentHashMap<>();

    void open(ReceivedContext context) {
        byId.put(context.requestId(), context);
    }

    void answered(ReceivedContext context) {
        byId.remove(context.requestId(), context);
    }

    /** The peer cancelled this request; unknown ids (answered already, never seen) are ignored. */
    void cancel(long requestId) {
        ReceivedContext context = byId.remove(requestId);
        if (context != null) {
            context.cancel();
        }
    }

    /** The peer went away: nobody waits for any answer of ours. */
    void cancelAll() {
        byId.keySet().forEach(this::cancel);
    }
}
