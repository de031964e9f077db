package dev.mpchannel.rings.internal;

import dev.mpchannel.rings.Idle;
import dev.mpchannel.rings.RecordHandler;
import dev.mpchannel.rings.RingClosedException;
import dev.mpchannel.rings.RingReader;
import dev.mpchannel.rings.RingStatus;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The reading end of a ring, in Agrona's one-to-one record format. The writer is another process, so every record
 * header is checked against the ring before its record is handed over, and a header that cannot be right ends the
 * pair with a reason instead of reaching the handler. It keeps its own position (head), publishes it after each
 * batch, and leaves the records in place (the writer zeroes the header after each record it writes).
 */
final class RingConsumer extends RingEnd implements RingReader {
    /** Idle looks spent spinning, then yielding, before a reader that may park parks. */
    static final int SPINS = 2_000;
    static final int YIELDS = 200;

    private final RingMemory memory;
    private final int capacity;
    private final int headIndex;
    private final Doorbell doorbell;
    /** A read-only view of the whole mapping, framed anew for each record. */
    private final ByteBuffer view;

    private long head;
    private long records;
    private long bytes;
    private long parks;
    private long wakeUps;

    RingConsumer(SharedRingPair pair, RingMemory memory, Doorbell doorbell) {
        super(pair);
        this.memory = memory;
        this.capacity = memory.capacity();
        this.headIndex = RingLayout.head(capacity);
        this.doorbell = doorbell;
        this.view = memory.mapping().duplicate().asReadOnlyBuffer();
    }

    @Override
    public int poll(RecordHandler handler, int limit) throws RingClosedException {
        enter();
        try {
            int read = read(handler, limit);
            if (read == 0) {
                checkPeerOpen();
            }
            return read;
        } catch (InternalError e) {
            throw memoryGone(pair, e);
        } finally {
            leave();
        }
    }

    /**
     * The JVM's answer to a fault (SIGBUS) in an access to the mapping: the peer shrank the file under it. The pair
     * ends; the process goes on.
     */
    static RingClosedException memoryGone(SharedRingPair pair, InternalError fault) {
        pair.closeFromPeer("its memory is gone, the peer shrank the file (" + fault.getMessage() + ")");
        return pair.closedException();
    }

    @Override
    public int receive(RecordHandler handler, int limit, Idle idle) throws RingClosedException {
        enter();
        try {
            int idleLooks = 0;
            while (true) {
                int read = read(handler, limit);
                if (read > 0) {
                    return read;
                }
                checkPeerOpen();
                if (pair.isClosed()) {
                    throw pair.closedException();
                }
                idleLooks++;
                if (idle == Idle.BUSY_SPIN || idleLooks < SPINS) {
                    Thread.onSpinWait();
                } else if (idle == Idle.YIELD || idleLooks < SPINS + YIELDS) {
                    Thread.yield();
                } else {
                    park();
                    idleLooks = 0;
                }
            }
        } catch (InternalError e) {
            throw memoryGone(pair, e);
        } finally {
            leave();
        }
    }

    /**
     * Says it parks, looks once more (a record written before the writer could see the flag would otherwise wait for
     * the next one), then sleeps on the doorbell until the writer rings or the doorbell closes.
     */
    private void park() throws RingClosedException {
        memory.putIntVolatile(RingLayout.PARKED_OFFSET, 1);
        if (hasRecord() || pair.isClosed() || memory.getIntVolatile(RingLayout.CLOSED_OFFSET) != 0) {
            memory.compareAndSetInt(RingLayout.PARKED_OFFSET, 1, 0); // a ring already sent is a harmless extra wake-up
            return;
        }
        parks++;
        boolean rang;
        try {
            rang = doorbell.await();
        } catch (IOException e) {
            if (!pair.isClosed()) {
                pair.closeFromPeer("its doorbell failed (" + e + ")");
            }
            throw pair.closedException();
        }
        if (!rang) {
            if (!pair.isClosed()) {
                pair.closeFromPeer("the peer closed the doorbell");
            }
            throw pair.closedException();
        }
        wakeUps++;
        memory.putIntVolatile(RingLayout.PARKED_OFFSET, 0);
    }

    private boolean hasRecord() {
        return memory.getIntVolatile(RingLayout.record((int) head & (capacity - 1))) > 0;
    }

    private void checkPeerOpen() throws RingClosedException {
        if (memory.getIntAcquire(RingLayout.CLOSED_OFFSET) != 0 && !pair.isClosed()) {
            pair.closeFromPeer("the peer closed it");
            throw pair.closedException();
        }
    }

    /**
     * Reads the records there are, at most {@code limit}: up to the end of the ring, and on from its start if it got
     * there (after a padding record, or a record that ended exactly there).
     */
    private int read(RecordHandler handler, int limit) throws RingClosedException {
        long before = head;
        int read = readToEnd(handler, limit);
        if (read < limit && head != before && ((int) head & (capacity - 1)) == 0) { // reached the end of the ring
            read += readToEnd(handler, limit - read);
        }
        return read;
    }

    /** Reads the records up to the end of the ring or the first one not yet written, at most {@code limit}. */
    private int readToEnd(RecordHandler handler, int limit) throws RingClosedException {
        int start = (int) head & (capacity - 1);
        int contiguous = capacity - start;
        int bytesRead = 0;
        int read = 0;
        try {
            while (bytesRead < contiguous && read < limit) {
                int index = start + bytesRead;
                int length = memory.getIntAcquire(RingLayout.record(index));
                if (length <= 0) {
                    break;
                }
                int aligned = RingLayout.align(length);
                if (length < RingLayout.RECORD_HEADER_LENGTH || aligned > contiguous - bytesRead || aligned <= 0) {
                    throw corrupt("a record at " + index + " says it is " + length + " bytes long, "
                            + (contiguous - bytesRead) + " are left to the end of the ring");
                }
                int type = memory.mapping().getInt(RingLayout.record(index) + 4);
                if (type == RingLayout.PADDING_TYPE) {
                    if (aligned != contiguous - bytesRead) {
                        throw corrupt("a padding record at " + index + " does not reach the end of the ring");
                    }
                    bytesRead += aligned;
                    continue;
                }
                if (type != RingLayout.RECORD_TYPE) {
                    throw corrupt("a record at " + index + " has type " + type);
                }
                bytesRead += aligned;
                int from = RingLayout.record(index) + RingLayout.RECORD_HEADER_LENGTH;
                view.clear();
                view.limit(from + length - RingLayout.RECORD_HEADER_LENGTH).position(from);
                handler.onRecord(view);
                read++;
                records++;
                bytes += length - RingLayout.RECORD_HEADER_LENGTH;
            }
        } finally {
            if (bytesRead > 0) {
                head += bytesRead;
                memory.putLongRelease(headIndex, head);
            }
        }
        return read;
    }

    private RingClosedException corrupt(String what) {
        pair.closeFromPeer("its ring is corrupt: " + what);
        return pair.closedException();
    }

    RingMemory memory() {
        return memory;
    }

    Doorbell doorbell() {
        return doorbell;
    }

    RingStatus.Counters counters() {
        return new RingStatus.Counters(capacity, records, bytes, parks, wakeUps);
    }
}
