package dev.mpchannel.transport.channel.request;

import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.transport.wire.SegmentLease;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One request in flight: the peers it was written to and what each has answered so far. It completes as soon as
 * every peer has answered, been found gone, or timed out; answers that arrived are kept whatever the others do.
 */
final class PendingRequest {
    private final long id;
    private final String action;
    private final Map<Long, Peer> awaited;
    private final Map<Long, Reply> answers;
    private final CompletableFuture<Replies> result = new CompletableFuture<>();
    private int sent;
    private boolean sending = true;

    /** @param targets how many peers it goes to: the maps are made that large at once (one peer, or a thousand) */
    PendingRequest(long id, String action, int targets) {
        this.id = id;
        this.action = action;
        int capacity = (int) Math.min(1 << 30, targets * 4L / 3 + 1); // a hash map's load factor is 0.75
        this.awaited = new LinkedHashMap<>(capacity);
        this.answers = new LinkedHashMap<>(capacity);
    }

    long id() {
        return id;
    }

    /** The action the request names. */
    String action() {
        return action;
    }

    CompletableFuture<Replies> result() {
        return result;
    }

    /** Records that the request is about to be written to this peer (before it is, so no answer can beat it). */
    synchronized void expect(Peer peer) {
        awaited.put(peer.id(), peer);
    }

    /** The write to this peer failed: it never got the request and is not counted. */
    synchronized void notSent(Peer peer) {
        awaited.remove(peer.id());
        answers.remove(peer.id());
    }

    /** Every write has been attempted; from now on the request may complete. */
    void sendingDone() {
        Replies done;
        synchronized (this) {
            sending = false;
            sent = awaited.size();
            done = completedReplies();
        }
        complete(done);
    }

    /**
     * Records a peer's answer.
     *
     * @return whether it was taken: {@code false} for a peer not asked, one that already answered, or after the end
     */
    boolean answer(Reply reply) {
        long peerId = reply.peer().id();
        Replies done;
        synchronized (this) {
            if (result.isDone() || !awaited.containsKey(peerId) || answers.containsKey(peerId)) {
                return false;
            }
            answers.put(peerId, reply);
            done = completedReplies();
        }
        complete(done);
        return true;
    }

    /** Ends the wait: every peer that has not answered gets {@code status} with {@code reason}. */
    void giveUp(Reply.Status status, String reason) {
        giveUp(null, status, reason);
    }

    /** Ends the wait for one peer (or for all when {@code only} is null) with {@code status} and {@code reason}. */
    void giveUp(Peer only, Reply.Status status, String reason) {
        Replies done;
        synchronized (this) {
            for (Peer peer : awaited.values()) {
                if (only == null || only.id() == peer.id()) {
                    answers.putIfAbsent(peer.id(), Reply.unanswered(peer, status, reason));
                }
            }
            if (only == null) {
                sending = false;
                sent = awaited.size();
            }
            done = completedReplies();
        }
        complete(done);
    }

    /**
     * The requester gave up: the request ends at once, its result cancelled, and nobody's answer is taken any more.
     *
     * @return the peers that had not answered, to be told
     */
    List<Peer> cancel() {
        List<Peer> unanswered = new ArrayList<>();
        synchronized (this) {
            if (result.isDone()) {
                return unanswered;
            }
            for (Peer peer : awaited.values()) {
                if (!answers.containsKey(peer.id())) {
                    unanswered.add(peer);
                }
            }
        }
        result.completeExceptionally(new CancellationException("cancelled by the requester"));
        return unanswered;
    }

    boolean isAwaiting(long peerId) {
        synchronized (this) {
            return awaited.containsKey(peerId) && !answers.containsKey(peerId);
        }
    }

    /** The outcome if every awaited peer is accounted for, else {@code null}. Called under the lock. */
    private Replies completedReplies() {
        if (sending || result.isDone() || answers.size() < awaited.size()) {
            return null;
        }
        List<Reply> replies = new ArrayList<>(awaited.size());
        for (Long peerId : awaited.keySet()) {
            replies.add(answers.get(peerId));
        }
        return Replies.of(sent, replies, () -> replies.forEach(r -> SegmentLease.release(r.message()))); // close()
    }

    // Completed outside the lock: whoever waits on the future must never run while we hold it.
    private void complete(Replies done) {
        if (done != null) {
            result.complete(done);
        }
    }
}
