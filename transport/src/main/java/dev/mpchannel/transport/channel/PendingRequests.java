package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests in flight, by request id. Answers are matched by id, not by action name, so any number of requests
 * for one action can be in flight at once. Each request ends at its timeout at the latest.
 */
final class PendingRequests {
    private final AtomicLong lastId = new AtomicLong();
    private final Map<Long, PendingRequest> byId = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    PendingRequests(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Opens a request that gives up on whoever has not answered after {@code timeout}. */
    PendingRequest open(Duration timeout) {
        PendingRequest request = new PendingRequest(lastId.incrementAndGet());
        byId.put(request.id(), request);
        ScheduledFuture<?> expiry = timer.schedule(
                () -> request.giveUp(Reply.Status.TIMED_OUT, "no answer within " + timeout.toMillis() + " ms"),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        request.result().whenComplete((replies, error) -> {
            byId.remove(request.id());
            expiry.cancel(false);
        });
        return request;
    }

    /** @return whether the answer was awaited; if not, its descriptors are the caller's to close */
    boolean answer(long requestId, Reply reply) {
        PendingRequest request = byId.get(requestId);
        return request != null && request.answer(reply);
    }

    /** The peer went away: stop waiting for it in every request, at once rather than at the timeout. */
    void peerGone(Peer peer, String reason) {
        for (PendingRequest request : byId.values()) {
            if (request.isAwaiting(peer.id())) {
                request.giveUp(peer, Reply.Status.PEER_GONE, reason);
            }
        }
    }

    /** The channel is closing: every request ends now. */
    void closeAll(String reason) {
        for (PendingRequest request : byId.values()) {
            request.giveUp(Reply.Status.PEER_GONE, reason);
        }
    }

    int inFlight() {
        return byId.size();
    }
}
