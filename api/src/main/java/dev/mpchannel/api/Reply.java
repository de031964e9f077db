package dev.mpchannel.api;

import java.util.Objects;

/**
 * What one peer made of a request: its answer, or why there is none.
 * <pre>{@code
 * for (Reply reply : replies.replies()) {
 *     if (reply.replied()) {
 *         use(reply.message());
 *     } else {
 *         log(reply.peer() + ": " + reply.status() + ", " + reply.reason());
 *     }
 * }
 * }</pre>
 *
 * @since 2.0
 */
public final class Reply {
    /** How a request ended for one peer. */
    public enum Status {
        /** The peer's action answered. */
        REPLIED,
        /** The peer has no action by that name, or its whitelist refuses it; answered at once. */
        IGNORED,
        /** The peer's action failed; the reason carries its error. */
        FAILED,
        /** No answer came before the timeout. */
        TIMED_OUT,
        /** The peer went away before it answered. */
        PEER_GONE
    }

    private final Peer peer;
    private final Status status;
    private final Message message;
    private final String reason;

    private Reply(Peer peer, Status status, Message message, String reason) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.status = Objects.requireNonNull(status, "status");
        this.message = message;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A peer's answer. */
    public static Reply replied(Peer peer, Message message) {
        return new Reply(peer, Status.REPLIED, Objects.requireNonNull(message, "message"), "");
    }

    /**
     * No answer from a peer, and why.
     *
     * @throws IllegalArgumentException for {@link Status#REPLIED}, which has an answer
     */
    public static Reply unanswered(Peer peer, Status status, String reason) {
        if (status == Status.REPLIED) {
            throw new IllegalArgumentException("a reply has a message exactly when its status is REPLIED");
        }
        return new Reply(peer, status, null, reason);
    }

    /** The peer the request went to. */
    public Peer peer() {
        return peer;
    }

    /** How it ended. */
    public Status status() {
        return status;
    }

    /** The reply, when {@link #status()} is {@link Status#REPLIED}; otherwise {@code null}. */
    public Message message() {
        return message;
    }

    /** Why there is no reply, for the other statuses; otherwise empty. */
    public String reason() {
        return reason;
    }

    /** Whether the peer's action answered. */
    public boolean replied() {
        return status == Status.REPLIED;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Reply r && peer.equals(r.peer) && status == r.status
                && Objects.equals(message, r.message) && reason.equals(r.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(peer, status, reason);
    }

    @Override
    public String toString() {
        return "Reply[" + peer + ", " + status + (replied() ? ", " + message : ", " + reason) + "]";
    }
}
