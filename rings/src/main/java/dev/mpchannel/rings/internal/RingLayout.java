package dev.mpchannel.rings.internal;

/**
 * Where things are in a ring's shared memory (docs/rings.md draws it): a header of {@value #HEADER_LENGTH} bytes,
 * then a ring buffer in Agrona's one-to-one layout: {@code capacity} bytes of records, then a trailer of
 * {@value #TRAILER_LENGTH} bytes with the writer's and the reader's positions. Fields written by different sides sit
 * on different cache lines. All values are in the machine's native byte order.
 */
final class RingLayout {
    /** "MPRING", 0, 1 as bytes on a little-endian machine: the first 8 bytes of the memory. */
    static final long MAGIC = 0x0100474e4952504dL;
    static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int CAPACITY_OFFSET = 12;
    /** Non-zero once either side closed the pair: written by the closing side, read by both. */
    static final int CLOSED_OFFSET = 64;
    /** 1 while the reader is parked (or about to park) on the doorbell; the writer takes it back to 0 and rings. */
    static final int PARKED_OFFSET = 128;
    static final int HEADER_LENGTH = 256;

    /** A record's header: its length including the header (int; positive once complete), then its type (int). */
    static final int RECORD_HEADER_LENGTH = 8;
    /** Records start at multiples of 8 bytes. */
    static final int RECORD_ALIGNMENT = 8;
    /** The type of every record this bundle writes (Agrona's types are positive). */
    static final int RECORD_TYPE = 1;
    /** Agrona's padding record, which fills the end of the ring when the next record does not fit there. */
    static final int PADDING_TYPE = -1;

    /** Agrona's trailer: the writer's position (tail) at +128, the reader's (head) at +384, each long. */
    static final int TAIL_POSITION_OFFSET = 128;
    static final int HEAD_POSITION_OFFSET = 384;
    static final int TRAILER_LENGTH = 768;

    private RingLayout() {
    }

    /** The size of the memory of a ring of {@code capacity} record bytes. */
    static long size(int capacity) {
        return (long) HEADER_LENGTH + capacity + TRAILER_LENGTH;
    }

    /** Where record byte {@code index} (0 to capacity - 1) is in the memory. */
    static int record(int index) {
        return HEADER_LENGTH + index;
    }

    static int tail(int capacity) {
        return HEADER_LENGTH + capacity + TAIL_POSITION_OFFSET;
    }

    static int head(int capacity) {
        return HEADER_LENGTH + capacity + HEAD_POSITION_OFFSET;
    }

    /** The longest record a ring takes, as Agrona's ring: an eighth of its capacity. */
    static int maxRecordLength(int capacity) {
        return capacity >> 3;
    }

    static int align(int length) {
        return (length + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
    }
}
