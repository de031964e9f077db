package dev.mpchannel.rings;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/** The writing end of a ring: one thread at a time writes. */
@ProviderType
public interface RingWriter {
    /**
     * Copies the remaining bytes of {@code record} into the ring as one record, if there is room, and rings the
     * doorbell if the reader is parked. The buffer's position is not moved.
     *
     * @return false if the ring is full (the reader is behind): try again later
     * @throws RingClosedException      if the pair has ended
     * @throws IllegalArgumentException if the record is longer than {@link #maxRecordLength()}
     */
    boolean offer(ByteBuffer record) throws RingClosedException;

    /** As {@link #offer(ByteBuffer)}, for {@code length} bytes of {@code bytes} from {@code offset}. */
    boolean offer(byte[] bytes, int offset, int length) throws RingClosedException;

    /** The longest record the ring takes: an eighth of its capacity. */
    int maxRecordLength();

    /** The ring's capacity in bytes. */
    int capacity();
}
