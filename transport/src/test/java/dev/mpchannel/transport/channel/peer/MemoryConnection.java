package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.channel.peer.PeerSession;
import dev.mpchannel.transport.socket.Connection;
import dev.mpchannel.transport.socket.PeerCredentials;
import dev.mpchannel.transport.wire.Frame;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A connection in memory, for tests that drive a {@link PeerSession} under a controlled scheduler (Fray): each read
 * returns the next queued batch of frames, and blocks while there is none until the connection is closed. What is
 * written is kept. No sockets, no descriptors, no timeouts: only monitors, which the scheduler controls.
 */
final class MemoryConnection implements Connection {
    private final PeerCredentials peer;
    private final Queue<List<Frame>> reads = new ArrayDeque<>();
    private final List<Frame> written = new ArrayList<>();
    private boolean open = true;

    MemoryConnection(long id) {
        this.peer = new PeerCredentials(id, Role.SECONDARY, 1, 1, 1, Instant.EPOCH);
    }

    /** Queues one read's frames. */
    synchronized void arrive(Frame... frames) {
        reads.add(List.of(frames));
        notifyAll();
    }

    synchronized List<Frame> written() {
        return new ArrayList<>(written);
    }

    @Override
    public PeerCredentials credentials() {
        return peer;
    }

    @Override
    public synchronized Frame read() throws IOException {
        List<Frame> next = readAvailable();
        return next.isEmpty() ? null : next.get(0);
    }

    @Override
    public synchronized List<Frame> readAvailable() throws IOException {
        while (open && reads.isEmpty()) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return open ? reads.poll() : List.of();
    }

    @Override
    public synchronized void write(Frame frame) throws IOException {
        if (!open) {
            throw new IOException("closed");
        }
        written.add(frame);
    }

    @Override
    public void stallTimeout(Duration timeout) {
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        open = false;
        notifyAll();
    }

    @Override
    public void releaseReceived() {
    }
}
