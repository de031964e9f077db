package dev.mpchannel.api;

/**
 * A message could not be sent or a request could not be made; {@link #reason()} says which case it is:
 * <pre>{@code
 * try {
 *     channel.send(Message.of("stats.push", report));
 * } catch (ChannelException e) {
 *     if (e.reason() != ChannelException.Reason.NOT_CONNECTED) {   // a secondary between two primaries: retry later
 *         throw e;
 *     }
 * }
 * }</pre>
 */
public class ChannelException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a channel operation failed. */
    public enum Reason {
        /** The parameters or the file descriptors exceed the channel's configured limits. */
        TOO_LARGE,
        /** A secondary is not connected to a primary (not yet, or not any more). */
        NOT_CONNECTED,
        /** The addressed peer is not, or no longer, connected. */
        UNKNOWN_PEER,
        /** The channel has been closed (its component deactivated or reconfigured). */
        CLOSED,
        /** The socket failed while the message was written. */
        IO,
        /**
         * The peer cannot take this now, though the channel works: on DPDK's wire, a request for an action name that
         * already has one in flight (DPDK tells requests apart by name alone).
         *
         * @since 2.0
         */
        BUSY
    }

    private final Reason reason;

    public ChannelException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ChannelException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Which case of failure this is. */
    public Reason reason() {
        return reason;
    }
}
