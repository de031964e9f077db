package dev.mpchannel.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Handles the messages that name it. Register an implementation as an OSGi service with the service property
 * {@value #NAME} set to the action name; every channel whose whitelist admits the name binds it (or only the channel
 * named by the service property {@code mp.channel}, if set), and unbinds it when the service goes away.
 * <p>
 * An action may block, send or request. It runs on the channel's action threads, or on the thread that read its
 * message when nothing else of that peer waits; if it then runs long or makes a blocking request, the reading of that
 * peer passes to another thread (the channel's {@code reader.handoff.us}). Messages from one peer are handled in the
 * order they were sent, one at a time; messages from different peers run in parallel.
 */
@ConsumerType
@FunctionalInterface
public interface Action {
    /** The service property that carries the action name (1 to 64 UTF-8 bytes). */
    String NAME = "mp.action.name";

    /**
     * The service property that declares an action quick and non-blocking ({@code true}): the channel may then run it
     * on the socket's reading thread whenever nothing from that peer is queued before it, also amid a burst of that
     * peer's messages and when the channel's {@code reader.handoff.us} is 0, which saves a thread hand-off per message
     * (see docs/performance.md). Such an action must return at once: it must not block, wait, send or
     * request, since the peer's next messages wait for it and its reply is written from the reading thread. (The
     * channel runs a request there only when that cannot hold up the peer; otherwise on the pool, as usual.)
     *
     * @since 1.2
     */
    String INLINE = "mp.action.inline";

    /**
     * Handles a message or a request.
     *
     * @param message the message; its file descriptors, if any, now belong to this action, which must close every one
     *                it does not keep, also when it fails or throws (in a {@code finally}): the channel does not
     *                close them, and each one left open stays open in this process
     * @param from    the peer that sent it
     * @return for a request, the reply (its file descriptors are closed by the channel once written), or
     *         {@code null} for an empty reply under the request's action name; for a plain message it is ignored
     * @throws Exception to fail a request: the requester sees {@link Reply.Status#FAILED} with the exception's text
     */
    Message handle(Message message, Peer from) throws Exception;

    /**
     * Handles a message or a request whose reply is ready later. The channel calls this method; override it instead
     * of {@link #handle} to answer asynchronously.
     */
    default CompletionStage<Message> handleAsync(Message message, Peer from) {
        try {
            return CompletableFuture.completedFuture(handle(message, from));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
