package dev.mpchannel.transport.socket;

import dev.mpchannel.transport.wire.Frame;
import java.io.FileDescriptor;
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

    /**
     * The descriptor to poll for readability ({@link Readiness}), for a connection that can be read by a thread that
     * waits for many at once; {@code null} (the default) when it must have a reading thread of its own.
     */
    default FileDescriptor readinessDescriptor() throws IOException {
        return null;
    }

    /**
     * After a poll said the connection is readable: reads what has arrived without blocking and returns the whole
     * frames that completes (perhaps none); {@code null} when the peer went away between frames. Only for a connection
     * with a {@link #readinessDescriptor()}.
     */
    default List<Frame> readArrived() throws IOException {
        throw new UnsupportedOperationException("this connection cannot be read without a thread of its own");
    }

    /** Whether the frame in progress can be completed only by a blocking read ({@link #readAvailable()}). */
    default boolean needsBlockingRead() {
        return false;
    }

    /** Whether nothing of a frame is buffered or waiting: a blocking reader may stop and leave the rest to a poll. */
    default boolean drained() throws IOException {
        return false;
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
