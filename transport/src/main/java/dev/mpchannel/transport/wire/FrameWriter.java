package dev.mpchannel.transport.wire;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
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
    private final FrameLimits limits;

    public FrameWriter(OutputStream out, OutboundDescriptors outbound, FrameLimits limits) {
        this.out = out;
        this.outbound = outbound;
        this.limits = limits;
    }

    /** Writes the frame; parameters over the inline limit go in shared memory (see {@link SharedParams}). */
    public void write(Frame frame) throws IOException {
        if (!limits.shared(frame.message().paramsLength())) {
            write(FrameCodec.encode(frame), frame.fileDescriptors());
            return;
        }
        try (FileInputStream memory = SharedParams.create(frame.message().paramsBuffer())) {
            List<FileDescriptor> fds = new ArrayList<>();
            fds.add(memory.getFD());
            fds.addAll(frame.fileDescriptors());
            write(FrameCodec.encodeShared(frame), fds);
        }
    }

    private void write(byte[] bytes, List<FileDescriptor> fds) throws IOException {
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
