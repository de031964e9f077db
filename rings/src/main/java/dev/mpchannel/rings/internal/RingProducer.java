package dev.mpchannel.rings.internal;

import dev.mpchannel.rings.RingClosedException;
import dev.mpchannel.rings.RingStatus;
import dev.mpchannel.rings.RingWriter;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The writing end of a ring, in Agrona's one-to-one record format (so that Agrona's reader, or a C one, reads it).
 * It keeps its own position (tail) and publishes it; the only thing it reads from the memory is the reader's position
 * and the flags, which the peer may have scribbled on: a reader's position that cannot be right ends the pair, and
 * every index is masked into the ring and checked by the buffer, so a wrong value spoils records of this ring only.
 * <p>
 * A record is published in this order: the header after it is zeroed (so the reader stops there), the bytes and the
 * type go in, then the length with a release store; a padding record that fills the end of the ring is published
 * the same way, after the record's header has been zeroed.
 */
final class RingProducer extends RingEnd implements RingWriter {
    private final RingMemory memory;
    private final ByteBuffer mapping;
    private final int capacity;
    private final int mask;
    private final int tailIndex;
    private final int headIndex;
    private final int maxRecordLength;
    private final Doorbell doorbell;

    private long tail;
    private long headCache;
    private long records;
    private long bytes;
    private long full;
    private long rings;

    RingProducer(SharedRingPair pair, RingMemory memory, Doorbell doorbell) {
        super(pair);
        this.memory = memory;
        this.mapping = memory.mapping();
        this.capacity = memory.capacity();
        this.mask = capacity - 1;
        this.tailIndex = RingLayout.tail(capacity);
        this.headIndex = RingLayout.head(capacity);
        this.maxRecordLength = RingLayout.maxRecordLength(capacity);
        this.doorbell = doorbell;
    }

    @Override
    public boolean offer(ByteBuffer record) throws RingClosedException {
        int length = record.remaining();
        checkLength(length);
        enter();
        try {
            int at = claim(length);
            if (at < 0) {
                return false;
            }
            mapping.put(RingLayout.record(at) + RingLayout.RECORD_HEADER_LENGTH, record, record.position(), length);
            publish(at, length);
            return true;
        } catch (InternalError e) {
            throw RingConsumer.memoryGone(pair, e);
        } finally {
            leave();
        }
    }

    @Override
    public boolean offer(byte[] bytes, int offset, int length) throws RingClosedException {
        checkLength(length);
        enter();
        try {
            int at = claim(length);
            if (at < 0) {
                return false;
            }
            mapping.put(RingLayout.record(at) + RingLayout.RECORD_HEADER_LENGTH, bytes, offset, length);
            publish(at, length);
            return true;
        } catch (InternalError e) {
            throw RingConsumer.memoryGone(pair, e);
        } finally {
            leave();
        }
    }

    /**
     * Finds room for a record of {@code length} bytes and prepares it (padding, the next header zeroed).
     *
     * @return the record's index in the ring, or -1 if the ring is full
     */
    private int claim(int length) throws RingClosedException {
        if (memory.getIntAcquire(RingLayout.CLOSED_OFFSET) != 0) {
            pair.closeFromPeer("the peer closed it");
            throw pair.closedException();
        }
        int aligned = RingLayout.align(length + RingLayout.RECORD_HEADER_LENGTH);
        int index = (int) tail & mask;
        int toEnd = capacity - index;
        int padding = aligned + RingLayout.RECORD_HEADER_LENGTH > toEnd && aligned != toEnd ? toEnd : 0;
        // room for the padding, the record and the zeroed header after it, all before the reader's unread bytes
        long needed = padding + aligned + RingLayout.RECORD_HEADER_LENGTH;
        if (needed > capacity - (tail - headCache)) {
            long head = memory.getLongVolatile(headIndex);
            if (head > tail || tail - head > capacity || head < headCache) {
                throw corrupt("the reader's position " + head + " is not between " + headCache + " and " + tail);
            }
            headCache = head;
            if (needed > capacity - (tail - head)) {
                full++;
                return -1;
            }
        }
        int at = padding == 0 ? index : 0;
        memory.putIntRelease(RingLayout.record(at), 0);
        int next = (at + aligned) & mask;
        mapping.putLong(RingLayout.record(next), 0L);
        if (padding != 0) {
            mapping.putInt(RingLayout.record(index) + 4, RingLayout.PADDING_TYPE);
            memory.putIntRelease(RingLayout.record(index), padding);
        }
        tail += padding + aligned;
        return at;
    }

    /** Publishes the record at {@code at}, then rings the doorbell if the reader parks. */
    private void publish(int at, int length) throws RingClosedException {
        mapping.putInt(RingLayout.record(at) + 4, RingLayout.RECORD_TYPE);
        memory.putIntRelease(RingLayout.record(at), length + RingLayout.RECORD_HEADER_LENGTH);
        memory.putLongRelease(tailIndex, tail);
        records++;
        bytes += length;
        // the record is out (release stores); the reader's flag must be read after it, not before
        VarHandle.fullFence();
        if (memory.getIntVolatile(RingLayout.PARKED_OFFSET) != 0
                && memory.compareAndSetInt(RingLayout.PARKED_OFFSET, 1, 0)) {
            rings++;
            try {
                doorbell.ring();
            } catch (IOException e) {
                pair.closeFromPeer("its doorbell failed (" + e.getMessage() + ")");
                throw pair.closedException();
            }
        }
    }

    private RingClosedException corrupt(String what) {
        pair.closeFromPeer("its ring is corrupt: " + what);
        return pair.closedException();
    }

    private void checkLength(int length) {
        if (length > maxRecordLength) {
            throw new IllegalArgumentException("a record of " + length + " bytes is longer than this ring takes ("
                    + maxRecordLength + ", an eighth of its capacity)");
        }
    }

    @Override
    public int maxRecordLength() {
        return maxRecordLength;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    RingMemory memory() {
        return memory;
    }

    Doorbell doorbell() {
        return doorbell;
    }

    RingStatus.Counters counters() {
        return new RingStatus.Counters(capacity, records, bytes, full, rings);
    }
}
