package dev.mpchannel.rings;

import org.osgi.annotation.versioning.ProviderType;

/** The reading end of a ring: one thread at a time reads. */
@ProviderType
public interface RingReader {
    /**
     * Hands the records that are there, at most {@code limit}, to {@code handler}, and returns at once.
     *
     * @return how many records were handed over, 0 if none was there
     * @throws RingClosedException if the pair has ended (or the ring was found corrupt: the pair then ends)
     */
    int poll(RecordHandler handler, int limit) throws RingClosedException;

    /**
     * Waits for records as {@code idle} says, then hands at most {@code limit} to {@code handler}.
     *
     * @return how many records were handed over, at least 1
     * @throws RingClosedException  if the pair ends, also while waiting
     */
    int receive(RecordHandler handler, int limit, Idle idle) throws RingClosedException;
}
