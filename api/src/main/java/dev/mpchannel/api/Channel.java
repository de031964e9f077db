package dev.mpchannel.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The channel between a primary and its secondaries, registered as an OSGi service by whichever side the channel's
 * configuration activates; a framework may have several channels. Its service properties tell them apart:
 * {@value #NAME} (the channel's name, its prefix) and {@value #ROLE} ({@code primary} or {@code secondary}), e.g.
 * {@code @Reference(target = "(mp.channel=vswitch)")}:
 * <pre>{@code
 * @Reference(target = "(&(mp.channel=vswitch)(mp.role=primary))")
 * private Channel vswitch;
 *
 * void tellEverySecondary() throws ChannelException {
 *     int reached = vswitch.send(Message.of("config.changed", "mtu=9000"));
 * }
 * }</pre>
 * <p>
 * All methods have written the message, or queued it for a peer that is busy or slow, before they return (a
 * request's replies come later); a queued message holds duplicates of its file descriptors, so the caller's may be
 * closed right after. Each peer receives what this side sends in the order it was sent. A peer that does not take
 * what is sent to it within the channel's write timeout ({@code write.timeout.ms}) is disconnected, so no call waits
 * on one peer for much longer than that.
 */
@ProviderType
public interface Channel {
    /** The service property that carries the role, {@code primary} or {@code secondary}. */
    String ROLE = "mp.role";

    /**
     * The service property that carries the channel's name (its configured prefix). On an {@link Action} service it
     * pins the action to that one channel; without it, every channel whose whitelist admits the action binds it.
     *
     * @since 1.3
     */
    String NAME = "mp.channel";

    /**
     * The channel's name, its configured prefix (also the service property {@value #NAME}).
     *
     * @since 2.0
     */
    String name();

    /** The role of this process on the channel. */
    Role role();

    /**
     * The live peers: for a primary, its connected secondaries; for a secondary, its primary while connected.
     */
    List<Peer> peers();

    /**
     * Sends a message without waiting for an answer: a primary sends to every secondary, a secondary to its primary.
     *
     * @return to how many peers it was written
     * @throws ChannelException if it breaks a limit, a secondary is not connected, or the channel is closed;
     *                          a primary skips a secondary whose socket fails (it is gone) and does not count it
     */
    int send(Message message) throws ChannelException;

    /**
     * Sends a message to one peer.
     *
     * @throws ChannelException with {@link ChannelException.Reason#UNKNOWN_PEER} if that peer is not connected on this
     *                          channel (a {@link Peer} of another channel, or of an earlier connection, is not)
     */
    void send(Peer peer, Message message) throws ChannelException;

    /**
     * Sends several messages in one go: a primary writes them all to every secondary, a secondary to its primary. Each
     * peer receives them in list order and handles them as if they had been sent one by one, but they cost one system
     * call for a run of messages rather than one each (a message carrying file descriptors starts a new run, since
     * descriptors travel with the first byte of a write). Every message is checked before any is written.
     *
     * @return to how many peers they were all written (0 for an empty list)
     * @throws ChannelException as for {@link #send(Message)}; when a secondary's write fails, messages before the
     *                          failed one may have reached the primary
     * @since 1.4
     */
    int sendAll(List<Message> messages) throws ChannelException;

    /**
     * Sends several messages to one peer in one go, as {@link #sendAll(List)} does.
     *
     * @throws ChannelException with {@link ChannelException.Reason#UNKNOWN_PEER} if that peer is not connected
     * @since 1.4
     */
    void sendAll(Peer peer, List<Message> messages) throws ChannelException;

    /**
     * Sends a request and waits for the replies: a primary asks every secondary at once, a secondary its primary.
     * Returns as soon as every peer has answered, been found gone, or the timeout has passed; the peers that did not
     * answer are listed with the reason. A peer busy with other writes gets the request queued, so it does not delay
     * the return; only a write of this call's own that finds a peer's socket filling up can, and that one is bounded
     * by the write timeout, after which that peer is disconnected.
     *
     * @throws ChannelException     as for {@link #send(Message)}
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    Replies request(Message message, Duration timeout) throws ChannelException, InterruptedException;

    /** Sends a request to one peer and waits for its reply. */
    Replies request(Peer peer, Message message, Duration timeout) throws ChannelException, InterruptedException;

    /**
     * Sends a request and returns at once (the request is written to the peers by the channel's own threads); the
     * stage completes with the replies as {@link #request} would return
     * them, or exceptionally with a {@link ChannelException} if the request could not be sent.
     * <p>
     * The stage completes on a thread the channel keeps for that alone ({@code mpchannel-callback-<name>-N}): never
     * one that reads a peer's socket, nor one that runs actions, so an action may wait for the stage (even on a
     * channel with one action thread). Dependent stages added before it completes run on that thread; one added
     * after runs on the thread that adds it, as with any {@code CompletableFuture}. A completion never waits for a
     * thread (one is started when none is idle), so a dependent stage may block, holding only its own thread.
     */
    CompletionStage<Replies> requestAsync(Message message, Duration timeout);

    /** Sends a request to one peer and returns at once. */
    CompletionStage<Replies> requestAsync(Peer peer, Message message, Duration timeout);

    /**
     * A snapshot of the channel's state, peers, actions and counters.
     *
     * @since 1.1
     */
    ChannelStatus status();
}
