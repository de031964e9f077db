package dev.mpchannel.rings;

import dev.mpchannel.api.Peer;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Two one-way rings between this process and a peer: one this side writes and the peer reads, one the peer writes and
 * this side reads (either may be absent, see {@link RingOptions}). Each ring has one writing thread and one reading
 * thread at a time.
 * <p>
 * A pair ends as a whole: when either side {@linkplain #close() closes} it, when the peer's channel connection ends
 * (it exited, was killed, or the channel closed) or when a ring is found corrupt. Records not yet read are then
 * dropped: to end a stream without loss, tell the reader (a last record) and let it close. After the end, writes and
 * reads throw {@link RingClosedException}, a reader parked on the doorbell is woken, and the memory and descriptors
 * are released on this side.
 */
@ProviderType
public interface RingPair extends AutoCloseable {
    /** The name the pair was opened under (the acceptor's {@link RingAcceptor#NAME}). */
    String name();

    /** The peer at the other end. */
    Peer peer();

    /**
     * The ring this side writes.
     *
     * @throws IllegalStateException if the pair has no ring this way (its capacity was 0)
     */
    RingWriter writer();

    /**
     * The ring this side reads.
     *
     * @throws IllegalStateException if the pair has no ring this way (its capacity was 0)
     */
    RingReader reader();

    /** Whether the pair has ended. */
    boolean isClosed();

    /** Completes with the reason once the pair has ended and its resources on this side are released. */
    CompletionStage<String> closed();

    /** Ends the pair on both sides (the peer learns it at once); idempotent. */
    @Override
    void close();
}
