package dev.mpchannel.rings;

/**
 * The capacities of a pair's two rings in bytes: {@code toPeer} (this side writes) and {@code fromPeer} (the peer
 * writes). Each is 0 (no ring that way) or a power of two from {@value #MIN_CAPACITY} to {@value #MAX_CAPACITY};
 * a ring takes records up to an eighth of its capacity.
 *
 * @param toPeer   the capacity of the ring this side writes
 * @param fromPeer the capacity of the ring the peer writes
 */
public record RingOptions(int toPeer, int fromPeer) {
    /** The smallest capacity of a ring. */
    public static final int MIN_CAPACITY = 4096;
    /** The largest capacity of a ring (1 GiB). */
    public static final int MAX_CAPACITY = 1 << 30;

    /**
     * Checks the capacities.
     *
     * @throws IllegalArgumentException if one is neither 0 nor a power of two in range, or both are 0
     */
    public RingOptions {
        check("toPeer", toPeer);
        check("fromPeer", fromPeer);
        if (toPeer == 0 && fromPeer == 0) {
            throw new IllegalArgumentException("a pair needs at least one ring (both capacities are 0)");
        }
    }

    /** A ring each way of the same capacity. */
    public static RingOptions duplex(int capacity) {
        return new RingOptions(capacity, capacity);
    }

    /** One ring, this side writing. */
    public static RingOptions toPeer(int capacity) {
        return new RingOptions(capacity, 0);
    }

    /** One ring, the peer writing. */
    public static RingOptions fromPeer(int capacity) {
        return new RingOptions(0, capacity);
    }

    private static void check(String what, int capacity) {
        if (capacity != 0 && (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)) {
            throw new IllegalArgumentException(what + " capacity " + capacity + " is not 0 or a power of two from "
                    + MIN_CAPACITY + " to " + MAX_CAPACITY);
        }
    }
}
