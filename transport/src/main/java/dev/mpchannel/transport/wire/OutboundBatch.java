package dev.mpchannel.transport.wire;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames of one caller on their way out: each encoded into the bytes and descriptors of one part of a write, the
 * shared parameters copied beforehand into a segment lent to the peer or, failing one, a fresh file (copying is the
 * slow part, so it happens before the socket is taken), and, once written, the outcome the caller waits for. Closing
 * it closes those files and ends the segments' writing.
 */
final class OutboundBatch implements AutoCloseable {

    /** One frame as it goes on the wire: its bytes, and the descriptors that travel with them. */
    record Part(byte[] bytes, List<FileDescriptor> fds) {
    }

    private final List<Part> parts;
    private final List<FileInputStream> sharedFiles;
    private final List<Segment> segments;
    private final SharedSegments lender;
    private boolean finished; // guarded by the writer's lock, read by the caller after it took that lock
    private IOException failure;

    private OutboundBatch(List<Part> parts, List<FileInputStream> sharedFiles, List<Segment> segments,
            SharedSegments lender) {
        this.parts = parts;
        this.sharedFiles = sharedFiles;
        this.segments = segments;
        this.lender = lender;
    }

    /** @param lender the connection's segments, or {@code null} where there are none (every file is fresh) */
    static OutboundBatch of(List<Frame> frames, FrameLimits limits, SharedSegments lender) throws IOException {
        if (frames.size() == 1 && !limits.shared(frames.get(0).message().paramsLength())) { // the common case
            Frame frame = frames.get(0);
            return new OutboundBatch(List.of(new Part(frame.inlineBytes(), frame.fileDescriptors())), List.of(),
                    List.of(), lender);
        }
        List<Part> parts = new ArrayList<>(frames.size());
        List<FileInputStream> sharedFiles = new ArrayList<>(0);
        List<Segment> segments = new ArrayList<>(0);
        try {
            for (Frame frame : frames) {
                if (!limits.shared(frame.message().paramsLength())) {
                    parts.add(new Part(frame.inlineBytes(), frame.fileDescriptors()));
                    continue;
                }
                FileDescriptor made = frame.sharedParams(); // made once for many peers, closed by whoever made it
                byte[] bytes = null;
                if (made == null && lender != null) {
                    Segment segment = lender.lend(frame.message().paramsBuffer());
                    if (segment != null) {
                        segments.add(segment);
                        made = segment.fd();
                        bytes = FrameCodec.encodeSegment(frame, segment.token);
                    }
                }
                if (made == null) {
                    FileInputStream memory = SharedParams.create(frame.message().paramsBuffer());
                    sharedFiles.add(memory);
                    made = memory.getFD();
                }
                List<FileDescriptor> fds = new ArrayList<>(frame.fileDescriptors().size() + 1);
                fds.add(made);
                fds.addAll(frame.fileDescriptors());
                parts.add(new Part(bytes != null ? bytes : FrameCodec.encodeShared(frame), fds));
            }
        } catch (IOException | RuntimeException e) {
            segments.forEach(lender::unused);
            new OutboundBatch(parts, sharedFiles, List.of(), lender).close();
            throw e;
        }
        return new OutboundBatch(parts, sharedFiles, segments, lender);
    }

    List<Part> parts() {
        return parts;
    }

    boolean isFinished() {
        return finished;
    }

    /** Every part was written ({@code failure} null) or the socket failed before they all were. */
    void finish(IOException failure) {
        this.failure = failure;
        this.finished = true;
    }

    void throwIfFailed() throws IOException {
        if (failure != null) {
            throw failure; // the same one for every batch it failed: its type tells a stalled peer from a lost one
        }
    }

    @Override
    public void close() {
        if (segments.isEmpty() && sharedFiles.isEmpty()) {
            return; // inline frames only: nothing to give back (and no iterators to make)
        }
        for (Segment segment : segments) {
            lender.written(segment);
        }
        for (FileInputStream file : sharedFiles) {
            try {
                file.close();
            } catch (IOException ignored) {
                // the file is unlinked already: closing only returns its memory
            }
        }
    }
}
