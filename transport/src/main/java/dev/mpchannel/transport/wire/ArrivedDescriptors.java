package dev.mpchannel.transport.wire;

import dev.mpchannel.transport.wire.FrameReader.ReceivedDescriptors;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The file descriptors a stream reader has received and not yet given to a frame, in the order they arrived. The
 * kernel hands a write's descriptors over with the read that returns its first byte, so they can come a little ahead
 * of the frame that declares them; a peer that piles them up is refused before they reach the process's limit.
 * Whatever happens, those still held are closed by {@link #close()}.
 */
final class ArrivedDescriptors implements AutoCloseable {
    private final ArrayDeque<FileDescriptor> held = new ArrayDeque<>();
    private final ReceivedDescriptors received;
    private final int most;

    ArrivedDescriptors(ReceivedDescriptors received, FrameLimits limits) {
        this.received = received;
        // a read brings the descriptors of one write at most (the kernel ends a read after a write that carried
        // some), and reads happen only while a frame is incomplete, every frame before it decoded: so a well-behaved
        // peer never has more waiting than the current frame's and the next one's
        this.most = 2 * (limits.maxFileDescriptors() + 1);
    }

    /** Takes what the latest read brought. */
    void collect() throws IOException {
        FileDescriptor[] fds = received.take();
        if (fds != null) {
            for (FileDescriptor fd : fds) {
                held.add(fd);
            }
            if (held.size() > most) {
                throw new FrameException(held.size() + " file descriptors arrived ahead of their frames, more than"
                        + " two frames may carry (" + most + ")");
            }
        }
    }

    int size() {
        return held.size();
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /** At the end of the stream, with no frame begun: any descriptor held came with no frame. */
    void refuseWithoutFrame() throws FrameException {
        if (!held.isEmpty()) {
            throw new FrameException(held.size() + " file descriptor(s) arrived with no frame");
        }
    }

    /** The first {@code count}, for the frame that declares them. */
    List<FileDescriptor> take(int count) throws FrameException {
        if (held.size() < count) {
            throw new FrameException("frame declared " + count + " file descriptor(s), " + held.size() + " arrived");
        }
        if (count == 0) {
            return List.of();
        }
        List<FileDescriptor> fds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            fds.add(held.poll());
        }
        return fds;
    }

    @Override
    public void close() {
        FileDescriptors.closeAll(held);
        held.clear();
    }
}
