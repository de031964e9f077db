package dev.mpchannel.transport.channel.peer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's {@link PeerPoller}s: the first starts when the first peer beyond {@code read.threads} connects (most
 * channels never need one), another whenever every running one reads {@value #PEERS_PER_POLLER} peers. A {@code poll}
 * costs the kernel a look at every descriptor it is given, so one poller for a thousand peers pays a thousand looks
 * for every answer that wakes it; {@value #PEERS_PER_POLLER} keeps that small and the threads few (16 for a thousand
 * peers). Where no poller can start, every peer gets a thread of its own, as the channel says once.
 */
public final class Pollers implements AutoCloseable {
    /** The most peers a poller takes before the next one starts. */
    static final int PEERS_PER_POLLER = 64;
    private static final Logger LOG = LoggerFactory.getLogger(Pollers.class);

    private final String name;
    private final int readThreads;
    /** Peers read by a thread of their own (at most {@code read.threads}); the rest are polled. */
    private final AtomicInteger threadedPeers = new AtomicInteger();
    private final List<PeerPoller> pollers = new ArrayList<>();
    private boolean unavailable;
    private boolean closed;

    /** @param readThreads how many peers at a time get a reading thread of their own ({@code read.threads}) */
    public Pollers(String name, int readThreads) {
        this.name = name;
        this.readThreads = readThreads;
    }

    /**
     * The poller that is to read {@code session}, or {@code null} if a thread of its own does: the first
     * {@code read.threads} peers connected at a time get one.
     */
    public PeerPoller readerOf(PeerSession session) {
        if (threadedPeers.incrementAndGet() <= readThreads) {
            session.gone().whenComplete((done, e) -> threadedPeers.decrementAndGet());
            return null;
        }
        threadedPeers.decrementAndGet();
        return get();
    }

    /**
     * The poller with the fewest peers, or a new one if all have {@value #PEERS_PER_POLLER}; {@code null} if none can
     * run here or the channel closed.
     */
    synchronized PeerPoller get() {
        if (unavailable || closed) {
            return null;
        }
        PeerPoller least = null;
        for (PeerPoller poller : pollers) {
            if (least == null || poller.peers() < least.peers()) {
                least = poller;
            }
        }
        if (least != null && least.peers() < PEERS_PER_POLLER) {
            return least;
        }
        try {
            PeerPoller started = PeerPoller.start(name + "-" + (pollers.size() + 1));
            pollers.add(started);
            return started;
        } catch (IOException e) {
            unavailable = true;
            LOG.warn("channel {}: every peer gets a reading thread of its own (read.threads is not applied): {}",
                    name, e.getMessage());
            return least;
        }
    }

    /** How many peers its pollers read now. */
    public synchronized int peers() {
        return pollers.stream().mapToInt(PeerPoller::peers).sum();
    }

    @Override
    public void close() {
        List<PeerPoller> started;
        synchronized (this) {
            closed = true;
            started = List.copyOf(pollers);
        }
        for (PeerPoller poller : started) {
            try {
                poller.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
