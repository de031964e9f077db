package dev.mpchannel.api;

import java.time.Instant;

/**
 * A process on the other end of a channel, as the kernel identified it (SO_PEERCRED) when it connected. A
 * {@code Peer} names one connection on one channel: the channel that gave it addresses that connection with it, and
 * every other use (another channel of this process, or the same channel after the peer reconnected) fails with
 * {@link ChannelException.Reason#UNKNOWN_PEER}, so a message never reaches a process it was not meant for.
 * <p>
 * Example: answering a secondary later, on the channel it came on:
 * <pre>{@code
 * Peer sender = context.peer();
 * context.channel().send(sender, Message.of("vswitch.ready"));
 * }</pre>
 *
 * @since 2.0
 */
@org.osgi.annotation.versioning.ProviderType
public interface Peer {
    /** The id a secondary knows its primary by. */
    long PRIMARY_ID = 0;

    /** The name of the channel this peer is connected on. */
    String channel();

    /**
     * A secondary's id, unique among the secondaries of every channel of this process for the life of the process;
     * the primary's is always {@value #PRIMARY_ID}.
     */
    long id();

    /** The peer's role. */
    Role role();

    /** The peer's process id. */
    long pid();

    /** The peer's user id. */
    long uid();

    /** The peer's group id. */
    long gid();

    /** When the connection was made. */
    Instant connectedSince();
}
