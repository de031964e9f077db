package dev.mpchannel.transport.channel.request;

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

    /**
     * Opens a request. With a timer it gives up on whoever has not answered after {@code timeout}; without one the
     * caller, who waits for it anyway, must call {@link #expire} when its wait times out (this spares the timer
     * thread a wake-up per blocking request).
     */
    PendingRequest open(String action, int targets, Duration timeout, boolean timer) {
        PendingRequest request = new PendingRequest(lastId.incrementAndGet(), action, targets);
        byId.put(request.id(), request);
        ScheduledFuture<?> expiry = timer
                ? this.timer.schedule(() -> expire(request, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS)
                : null;
        request.result().whenComplete((replies, error) -> {
            byId.remove(request.id());
            if (expiry != null) {
                expiry.cancel(false);
            }
        });
        return request;
    }

    /** Ends the request: every peer that has not answered timed out. */
    static void expire(PendingRequest request, Duration timeout) {
        request.giveUp(Reply.Status.TIMED_OUT, "no answer within " + timeout.toMillis() + " ms");
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

    /** How many requests wait for answers. */
    int size() {
        return byId.size();
    }

    /** The channel is closing: every request ends now. */
    void closeAll(String reason) {
        for (PendingRequest request : byId.values()) {
            request.giveUp(Reply.Status.PEER_GONE, reason);
        }
    }

}
