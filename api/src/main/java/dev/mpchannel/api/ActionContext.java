package dev.mpchannel.api;

import java.io.FileDescriptor;
import java.util.List;

/**
 * What an action is handed: the message, the channel it came on, the peer that sent it, and whether it is a request
 * to answer. An action that needs its channel (to send, or to make a request of its own) takes it from here rather
 * than through a service reference, which would make the channel and its actions depend on each other.
 * <p>
 * Example, an action that asks the sender back before it answers:
 * <pre>{@code
 * Message handle(ActionContext context) throws Exception {
 *     Replies replies = context.channel().request(context.peer(), Message.of("vswitch.mtu"), Duration.ofSeconds(1));
 *     return Message.of(context.message().action(), replies.complete() ? "ok" : "no mtu");
 * }
 * }</pre>
 * <p>
 * A request the requester gave up on says so ({@link #isCancelled()}, {@link #onCancel(Runnable)}), so that long work
 * can stop early.
 * <p>
 * Received descriptors belong to the channel until the action {@linkplain #takeFileDescriptors() takes them}: those
 * not taken are closed when the action ends (when {@link Action#handle} returns or throws, or the stage of
 * {@link Action#handleAsync} completes), so an action that only reads them cannot leak them.
 *
 * @since 2.0
 */
@org.osgi.annotation.versioning.ProviderType
public interface ActionContext {
    /** The channel the message came on; sends and requests made through it go to peers of this channel. */
    Channel channel();

    /**
     * The peer that sent the message: valid on {@link #channel()} while this connection lasts, and nowhere else (used
     * with another channel, or after the peer reconnected, a call fails with
     * {@link ChannelException.Reason#UNKNOWN_PEER}).
     */
    Peer peer();

    /** The message or request. */
    Message message();

    /**
     * Whether the peer waits for an answer: the action's result (or its stage's) is then the reply. For a plain
     * message there is nobody to answer: a reply returned for one is not sent, and is counted and logged as the
     * action's error.
     */
    boolean isRequest();

    /** The request's id on the wire, unique among this peer's requests in flight; 0 for a message. */
    long requestId();

    /**
     * Whether the requester no longer waits for the answer: it cancelled its {@code requestAsync} stage, its timeout
     * passed, or it went away. An action doing long work checks now and then and stops early; its answer, if it still
     * gives one, is dropped. Always {@code false} for a message; on DPDK's wire, which cannot withdraw a request, only
     * the requester's going away cancels.
     */
    boolean isCancelled();

    /**
     * Runs {@code callback} once when the request is cancelled (at once if it already is), on a thread of the channel
     * that also reads the peer's socket: the callback must be quick and never block (complete a future, set a flag).
     */
    void onCancel(Runnable callback);

    /**
     * Takes the message's file descriptors: from now on the action owns them and closes each one it does not keep.
     * The first call returns them all, later calls an empty list.
     */
    List<FileDescriptor> takeFileDescriptors();
}
