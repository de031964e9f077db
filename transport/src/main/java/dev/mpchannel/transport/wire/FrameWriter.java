package dev.mpchannel.transport.wire;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes frames to a stream socket, each in one write with its file descriptors attached, so that the
 * descriptors travel with the frame's first byte. Thread-safe: frames from different threads never interleave.
 */
public final class FrameWriter {

    /** Attaches descriptors to the next write (junixsocket keeps them per socket). */
    @FunctionalInterface
    public interface OutboundDescriptors {
        void attach(FileDescriptor... fds) throws IOException;
    }

    private static final FileDescriptor[] NONE = new FileDescriptor[0];

    private final OutputStream out;
    private final OutboundDescriptors outbound;

    public FrameWriter(OutputStream out, OutboundDescriptors outbound) {
        this.out = out;
        this.outbound = outbound;
    }

    public void write(Frame frame) throws IOException {
        byte[] bytes = FrameCodec.encode(frame);
        List<FileDescriptor> fds = frame.fileDescriptors();
        synchronized (this) {
            if (fds.isEmpty()) {
                out.write(bytes);
                return;
            }
            outbound.attach(fds.toArray(NONE));
            try {
                out.write(bytes);
            } finally {
                outbound.attach(NONE);
            }
        }
    }
}
