package dev.mpchannel.transport.channel.peer;

import java.time.Duration;

/**
 * How much a channel takes on, so that no peer can make it use resources without bound.
 *
 * @param actionThreads threads that run actions ({@code action.threads})
 * @param queueDepth    messages from one peer waiting for their action, past which that peer's reading pauses
 *                      ({@code queue.depth})
 * @param maxPeers      connected peers a primary accepts; more are refused ({@code max.peers})
 * @param writeTimeout  how long a write to a peer may take, and a frame queued for it may wait, before the peer is
 *                      taken for stuck and disconnected
 *                      ({@code write.timeout.ms})
 * @param readThreads   peers that get a reading thread of their own; the others share pollers (64 each)
 *                      ({@code read.threads}, see {@link PeerPoller})
 */
public record Capacity(int actionThreads, int queueDepth, int maxPeers, Duration writeTimeout, int readThreads) {
    /** The default of {@code read.threads}. */
    public static final int DEFAULT_READ_THREADS = 16;

    /** With the default {@code read.threads}. */
    public Capacity(int actionThreads, int queueDepth, int maxPeers, Duration writeTimeout) {
        this(actionThreads, queueDepth, maxPeers, writeTimeout, DEFAULT_READ_THREADS);
    }

    public Capacity {
        if (readThreads < 0) {
            throw new IllegalArgumentException("read.threads must not be negative, not " + readThreads);
        }
        if (actionThreads < 1) {
            throw new IllegalArgumentException("action.threads must be at least 1, not " + actionThreads);
        }
        if (queueDepth < 1) {
            throw new IllegalArgumentException("queue.depth must be at least 1, not " + queueDepth);
        }
        if (maxPeers < 1) {
            throw new IllegalArgumentException("max.peers must be at least 1, not " + maxPeers);
        }
        if (writeTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("write.timeout.ms must be at least 1, not " + writeTimeout.toMillis());
        }
    }
}
