package dev.mpchannel.rings;

/**
 * One open pair and the counters of its two rings (read without stopping the rings: each counter is current, their
 * sum may be a moment apart).
 *
 * @param channel  the channel's name
 * @param name     the pair's name
 * @param peerPid  the peer's process id
 * @param opener   whether this side opened the pair
 * @param out      the ring this side writes, or null
 * @param in       the ring this side reads, or null
 */
public record RingStatus(String channel, String name, long peerPid, boolean opener, Counters out, Counters in) {
    /**
     * One ring's counters, as this side sees them.
     *
     * @param capacity its capacity in bytes
     * @param records  records written (out) or read (in) by this side
     * @param bytes    record bytes written or read by this side
     * @param parks    times the reader parked on the doorbell (in) or the writer found the ring full (out)
     * @param wakeUps  doorbell rings: sent by this side's writer (out) or received by this side's reader (in)
     */
    public record Counters(int capacity, long records, long bytes, long parks, long wakeUps) {
    }
}
