package dev.mpchannel.transport.socket;

import dev.mpchannel.transport.wire.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One connected peer, whatever the wire: frames in and out with their descriptors. mpchannel's own wire is a
 * {@link StreamConnection}; a DPDK peer is a datagram one. Reading is for one thread; writing is thread-safe.
 */
public interface Connection extends AutoCloseable {
    /** Who is on the other end, as identified when it connected. */
    PeerCredentials credentials();

    /** Blocks for the next frame; {@code null} when the peer went away between frames. */
    Frame read() throws IOException;

    /**
     * Blocks for the next frame, then takes every further one already received whole; none when the peer went away
     * between frames. A wire that cannot tell what is already received reads one frame.
     */
    default List<Frame> readAvailable() throws IOException {
        Frame frame = read();
        return frame == null ? List.of() : List.of(frame);
    }

    void write(Frame frame) throws IOException;

    /**
     * Writes the frames in their order; a wire that can (mpchannel's own) sends them in as few system calls as their
     * descriptors allow. Returns once all are written; on a failure, some may have reached the peer.
     */
    default void write(List<Frame> frames) throws IOException {
        for (Frame frame : frames) {
            write(frame);
        }
    }

    /**
     * Bounds how long a write may make no progress: a peer that stops reading is then found out (the write fails)
     * instead of blocking its writer for ever.
     */
    void stallTimeout(Duration timeout) throws IOException;

    boolean isOpen();

    /**
     * Closes the connection, which wakes the reading thread. The received descriptors no frame took are the reading
     * thread's to close, with {@link #releaseReceived()}, once it stops reading.
     */
    @Override
    void close();

    /** Releases what the reader holds; call from the reading thread once it stops reading. */
    void releaseReceived();
}
