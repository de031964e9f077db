package dev.mpchannel.api;

import java.util.Objects;

/**
 * What one peer made of a request.
 *
 * @param peer    the peer the request went to
 * @param status  how it ended
 * @param message the reply, when {@code status} is {@link Status#REPLIED}; otherwise {@code null}
 * @param reason  why there is no reply, for the other statuses; otherwise empty
 */
public record Reply(Peer peer, Status status, Message message, String reason) {

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

    public Reply {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if ((status == Status.REPLIED) != (message != null)) {
            throw new IllegalArgumentException("a reply has a message exactly when its status is REPLIED");
        }
    }

    /** A peer's answer. */
    public static Reply replied(Peer peer, Message message) {
        return new Reply(peer, Status.REPLIED, Objects.requireNonNull(message, "message"), "");
    }

    /** No answer from a peer, and why. */
    public static Reply unanswered(Peer peer, Status status, String reason) {
        return new Reply(peer, status, null, reason);
    }

    /** Whether the peer's action answered. */
    public boolean replied() {
        return status == Status.REPLIED;
    }
}
