package dev.mpchannel.transport.channel.peer;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's {@link PeerPoller}, started when the first peer beyond {@code read.threads} connects (most channels
 * never need it). Where it cannot start, every peer gets a thread of its own, as the channel says once.
 */
public final class Pollers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pollers.class);

    private final String name;
    private PeerPoller poller;
    private boolean unavailable;
    private boolean closed;

    public Pollers(String name) {
        this.name = name;
    }

    /** The channel's poller, started if need be; {@code null} if it cannot run here or the channel closed. */
    public synchronized PeerPoller get() {
        if (poller == null && !unavailable && !closed) {
            try {
                poller = PeerPoller.start(name);
            } catch (IOException e) {
                unavailable = true;
                LOG.warn("channel {}: every peer gets a reading thread of its own (read.threads is not applied): {}",
                        name, e.getMessage());
            }
        }
        return poller;
    }

    /** How many peers its poller reads now; 0 if it has none. */
    public synchronized int peers() {
        return poller == null ? 0 : poller.peers();
    }

    @Override
    public void close() {
        PeerPoller started;
        synchronized (this) {
            closed = true;
            started = poller;
        }
        if (started != null) {
            try {
                started.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
