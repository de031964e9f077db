package dev.mpchannel.rings.internal;

import dev.mpchannel.api.Peer;
import dev.mpchannel.rings.RingClosedException;
import dev.mpchannel.rings.RingPair;
import dev.mpchannel.rings.RingReader;
import dev.mpchannel.rings.RingStatus;
import dev.mpchannel.rings.RingWriter;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * A pair of rings with one peer, and its life: open, then closed (by this side, by the peer, or because the peer's
 * connection ended), then released (memory unmapped, descriptors closed) as soon as no thread of this process is
 * inside the memory. Closing marks both rings closed in the shared memory and closes this side's doorbell ends, which
 * wakes a reader parked on either side.
 */
final class SharedRingPair implements RingPair {
    private final String channel;
    private final String name;
    private final long id;
    private final Peer peer;
    private final boolean opener;
    private RingProducer out;
    private RingConsumer in;
    /** Called once when the pair closes: with the reason, and whether the peer still needs to be told. */
    private final BiConsumer<SharedRingPair, Boolean> onClose;

    /** null while open; the reason once closed. */
    private volatile String closedReason;
    private boolean released; // guarded by this
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    SharedRingPair(String channel, String name, long id, Peer peer, boolean opener,
            BiConsumer<SharedRingPair, Boolean> onClose) {
        this.channel = channel;
        this.name = name;
        this.id = id;
        this.peer = peer;
        this.opener = opener;
        this.onClose = onClose;
    }

    /** Sets the rings once made (the pair owns them from then on: {@link #close} releases them). */
    void attach(RingMemory outMemory, Doorbell outBell, RingMemory inMemory, Doorbell inBell) {
        this.out = outMemory == null ? null : new RingProducer(this, outMemory, outBell);
        this.in = inMemory == null ? null : new RingConsumer(this, inMemory, inBell);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Peer peer() {
        return peer;
    }

    String channel() {
        return channel;
    }

    long id() {
        return id;
    }

    @Override
    public RingWriter writer() {
        if (out == null) {
            throw new IllegalStateException("pair '" + name + "' has no ring to the peer (its capacity was 0)");
        }
        return out;
    }

    @Override
    public RingReader reader() {
        if (in == null) {
            throw new IllegalStateException("pair '" + name + "' has no ring from the peer (its capacity was 0)");
        }
        return in;
    }

    @Override
    public boolean isClosed() {
        return closedReason != null;
    }

    @Override
    public CompletionStage<String> closed() {
        return closed.minimalCompletionStage();
    }

    @Override
    public void close() {
        closeWith("closed by this side", true);
    }

    /** The peer ended the pair (or broke it): no need to tell it. */
    void closeFromPeer(String reason) {
        closeWith(reason, false);
    }

    /**
     * Closes the pair. The flags go into the shared memory before the pair counts as closed: until then no release
     * can unmap it.
     */
    void closeWith(String reason, boolean tellPeer) {
        synchronized (this) {
            if (closedReason != null) {
                return;
            }
            try {
                if (out != null) {
                    out.memory().putIntVolatile(RingLayout.CLOSED_OFFSET, 1);
                }
                if (in != null) {
                    in.memory().putIntVolatile(RingLayout.CLOSED_OFFSET, 1);
                }
            } catch (InternalError fault) {
                // the peer shrank the file: the flag cannot be written, the doorbells below still tell it
            }
            closedReason = reason;
        }
        closeQuietly(out == null ? null : out.doorbell());
        closeQuietly(in == null ? null : in.doorbell());
        releaseIfIdle();
        onClose.accept(this, tellPeer);
    }

    /** Unmaps the memory once closed and no thread is inside it; the last thread out calls it again. */
    void releaseIfIdle() {
        if ((out != null && out.isBusy()) || (in != null && in.isBusy())) {
            return;
        }
        synchronized (this) {
            if (released || closedReason == null) {
                return;
            }
            released = true;
            if (out != null) {
                out.memory().unmap();
            }
            if (in != null) {
                in.memory().unmap();
            }
        }
        closed.complete(closedReason);
    }

    /** Why the pair ended, or null while open. */
    String closedReason() {
        return closedReason;
    }

    RingClosedException closedException() {
        return new RingClosedException("ring pair '" + name + "' with pid " + peer.pid() + " on channel '" + channel
                + "' is closed: " + closedReason);
    }

    RingStatus status() {
        return new RingStatus(channel, name, peer.pid(), opener, out == null ? null : out.counters(),
                in == null ? null : in.counters());
    }

    private static void closeQuietly(Doorbell doorbell) {
        if (doorbell != null) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    doorbell.close();
                    return;
                } catch (IOException e) {
                    return; // closing: nothing more to do with it
                } catch (InternalError fault) {
                    // a fault in the shrunk mapping, reported late by the JVM, in this thread: close again
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RingPair[" + name + ", " + channel + ", pid " + peer.pid() + (isClosed() ? ", closed" : "") + "]";
    }
}
