package dev.mpchannel.bench.harness.handoff;

import java.io.IOException;

/**
 * The requesting side of one connection of the hand-off benchmark: sends a 64-byte request and returns when its
 * reply is in, each implementation with another answer to who reads the reply.
 */
interface Requester extends AutoCloseable {
    /** How long a caller waits for its reply before it gives up. */
    long TIMEOUT_NANOS = 10_000_000_000L;

    /** Sends request {@code seq}; returns the sequence number its reply carried. */
    long request(long seq) throws IOException;

    /** What the figures alone do not show (leader/follower: how often the caller read its reply itself), or "". */
    default String note() {
        return "";
    }

    @Override
    void close() throws IOException;
}
