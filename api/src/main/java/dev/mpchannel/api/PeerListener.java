package dev.mpchannel.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Learns that peers join and leave: publish an implementation as an OSGi service (the whiteboard pattern), and every
 * channel calls it, or only the channels named by {@link OnChannel}:
 * <pre>{@code
 * @Component(service = PeerListener.class)
 * @OnChannel(channel = "vswitch")
 * public final class Secondaries implements PeerListener {
 *     public void joined(Peer peer) {
 *         System.out.println(peer + " joined " + peer.channel());
 *     }
 * }
 * }</pre>
 * A channel calls its listeners one event at a time, in the order the peers joined and left, on a thread of its own
 * (never one that reads a socket or runs actions); a listener that blocks delays only the next events. A listener
 * bound while peers are connected is told first that each of them joined, so it never misses one; for each peer it
 * hears {@code joined} once and then {@code left} once.
 *
 * @since 2.0
 */
@ConsumerType
public interface PeerListener {
    /** A peer connected on {@link Peer#channel()} (or was connected when this listener was bound). */
    default void joined(Peer peer) {
    }

    /**
     * A peer's connection ended: it went away, was dropped (a protocol error, a stalled write), or the channel closed.
     *
     * @param reason what ended it, in words for a log
     */
    default void left(Peer peer, String reason) {
    }
}
