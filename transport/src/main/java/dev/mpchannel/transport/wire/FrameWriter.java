package dev.mpchannel.transport.wire;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames to a stream socket. Thread-safe, and frames from different threads never interleave.
 * <p>
 * Frames that wait for the socket go out together: a thread that finds another one writing queues its frames, and
 * whichever thread writes next takes everything queued, so that frames from many senders (or one sender's
 * {@link #write(List) list}) cost one {@code sendmsg} rather than one each. Nobody waits to fill a batch: a batch is
 * whatever queued while the socket was busy. Each caller returns once its own frames are written (so it may close
 * their descriptors) or have failed.
 * <p>
 * Descriptors travel as SCM_RIGHTS with the first byte of the write that carries them, and the kernel hands them to
 * the read that returns that byte; a reader pairs them with the frame that declares them. So a write carries the
 * descriptors of its first frame only: a frame with descriptors starts a new write.
 */
public final class FrameWriter {

    /** Attaches descriptors to the next write (junixsocket keeps them per socket). */
    @FunctionalInterface
    public interface OutboundDescriptors {
        void attach(FileDescriptor... fds) throws IOException;
    }

    private static final FileDescriptor[] NONE = new FileDescriptor[0];
    /** The most bytes gathered into one write; a frame larger than that goes alone, without being copied. */
    private static final int GATHER_BYTES = 64 * 1024;

    private final OutputStream out;
    private final OutboundDescriptors outbound;
    private final FrameLimits limits;
    private final SharedSegments segments; // null: every shared file is fresh (tests)
    private final ReentrantLock socket = new ReentrantLock();
    private final ArrayDeque<OutboundBatch> queued = new ArrayDeque<>(); // guarded by itself
    private final byte[] gathered = new byte[GATHER_BYTES]; // guarded by socket

    public FrameWriter(OutputStream out, OutboundDescriptors outbound, FrameLimits limits) {
        this(out, outbound, limits, null);
    }

    /**
     * A writer that puts shared parameters in segments lent to the peer once it said it releases them, and writes
     * the releases of the peer's segments that this side is done with ({@link SharedSegments}).
     */
    public FrameWriter(OutputStream out, OutboundDescriptors outbound, FrameLimits limits, SharedSegments segments) {
        this.out = out;
        this.outbound = outbound;
        this.limits = limits;
        this.segments = segments;
        if (segments != null) {
            segments.writer(this);
        }
    }

    /**
     * Writes the frame; parameters over the inline limit go in shared memory (see {@link SharedParams}), in a segment
     * lent to the peer where there is one ({@link SharedSegments}).
     */
    public void write(Frame frame) throws IOException {
        write(List.of(frame));
    }

    /** Writes the frames in their order, in as few writes as their descriptors allow. */
    public void write(List<Frame> frames) throws IOException {
        try (OutboundBatch batch = OutboundBatch.of(frames, limits, segments)) {
            synchronized (queued) {
                queued.add(batch);
            }
            socket.lock();
            try {
                if (!batch.isFinished()) {
                    writeQueued();
                }
            } finally {
                socket.unlock();
            }
            batch.throwIfFailed();
        }
    }

    /** Writes every batch queued so far, ours among them; a failure fails every batch not yet written whole. */
    private void writeQueued() {
        OutboundBatch[] batches;
        synchronized (queued) {
            batches = queued.toArray(new OutboundBatch[0]);
            queued.clear();
        }
        IOException failure = null;
        int gatheredBytes = 0;
        List<FileDescriptor> gatheredFds = List.of();
        for (OutboundBatch batch : batches) {
            List<OutboundBatch.Part> parts = batch.parts();
            for (int i = 0; i < parts.size(); i++) {
                OutboundBatch.Part part = parts.get(i);
                if (failure != null) {
                    break;
                }
                try {
                    boolean fits = gatheredBytes + part.bytes().length <= GATHER_BYTES && part.fds().isEmpty();
                    if (!fits && gatheredBytes > 0) {
                        send(gathered, gatheredBytes, gatheredFds);
                        gatheredBytes = 0;
                        gatheredFds = List.of();
                    }
                    if (part.bytes().length > GATHER_BYTES) {
                        send(part.bytes(), part.bytes().length, part.fds());
                    } else {
                        System.arraycopy(part.bytes(), 0, gathered, gatheredBytes, part.bytes().length);
                        gatheredBytes += part.bytes().length;
                        if (gatheredFds.isEmpty()) {
                            gatheredFds = part.fds();
                        }
                    }
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        if (failure == null && gatheredBytes > 0) {
            try {
                send(gathered, gatheredBytes, gatheredFds);
            } catch (IOException e) {
                failure = e;
            }
        }
        for (OutboundBatch batch : batches) {
            batch.finish(failure);
        }
    }

    private void send(byte[] bytes, int length, List<FileDescriptor> fds) throws IOException {
        if (fds.isEmpty()) {
            out.write(bytes, 0, length);
            return;
        }
        outbound.attach(fds.toArray(NONE));
        try {
            out.write(bytes, 0, length);
        } finally {
            outbound.attach(NONE);
        }
    }
}
