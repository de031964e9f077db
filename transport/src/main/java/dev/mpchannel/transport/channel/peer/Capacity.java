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
 */
public record Capacity(int actionThreads, int queueDepth, int maxPeers, Duration writeTimeout) {
    public Capacity {
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
