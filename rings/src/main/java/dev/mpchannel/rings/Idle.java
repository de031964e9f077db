package dev.mpchannel.rings;

/** How a reader waits for records; chosen by the reader on each {@link RingReader#receive}. */
public enum Idle {
    /** Spins on the ring: the lowest latency, a core busy while waiting. The writer never makes a system call. */
    BUSY_SPIN,
    /** Spins a while, then yields the core between looks (latency of a reschedule; a core busy unless others run). */
    YIELD,
    /**
     * Spins a while, yields a while, then parks on the doorbell after saying so in the shared memory; the writer rings
     * the doorbell (one byte, one system call) only for a parked reader. No core is used while parked.
     */
    PARK
}
