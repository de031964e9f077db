package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.api.Message;
import dev.mpchannel.transport.wire.FileDescriptors;
import dev.mpchannel.transport.wire.Frame;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The frames waiting to be written to one peer, in the order they were handed over, each holding duplicates of its
 * descriptors (so that its sender may close its own at once). Counted in units: a frame, and each descriptor it
 * carries. Not thread-safe: its {@link PeerOutbox} guards it.
 */
final class OutboundQueue {
    /** Frames handed over together, when, and the duplicated descriptors they hold. */
    private record Queued(List<Frame> frames, long since, List<FileDescriptor> owned) {
    }

    /** Frames taken to be written, and the descriptors to close once they are. */
    record Taken(List<Frame> frames, List<FileDescriptor> owned) {
        void release() {
            FileDescriptors.closeAll(owned);
        }
    }

    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private int units;

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int units() {
        return units;
    }

    /** When the oldest frame was queued ({@link System#nanoTime}); only if not empty. */
    long oldestSince() {
        return queue.getFirst().since();
    }

    /** What {@code frames} count for: one per frame and one per descriptor. */
    static int unitsOf(List<Frame> frames) {
        int units = 0;
        for (Frame frame : frames) {
            units += 1 + frame.fileDescriptors().size() + (frame.sharedParams() == null ? 0 : 1);
        }
        return units;
    }

    /** Queues the frames, with duplicates of their descriptors. */
    void add(List<Frame> frames, int frameUnits) throws IOException {
        List<FileDescriptor> owned = new ArrayList<>(0);
        List<Frame> copies = frames;
        if (frameUnits > frames.size()) {
            copies = new ArrayList<>(frames.size());
            try {
                for (Frame frame : frames) {
                    copies.add(frame.fileDescriptors().isEmpty() && frame.sharedParams() == null ? frame
                            : withOwnDescriptors(frame, owned));
                }
            } catch (IOException | RuntimeException e) {
                FileDescriptors.closeAll(owned);
                throw e;
            }
        }
        queue.add(new Queued(copies, System.nanoTime(), owned));
        units += frameUnits;
    }

    /** Takes every queued frame, in order. */
    Taken takeAll() {
        List<Frame> frames = new ArrayList<>();
        List<FileDescriptor> owned = new ArrayList<>(0);
        for (Queued queued : queue) {
            frames.addAll(queued.frames());
            owned.addAll(queued.owned());
        }
        queue.clear();
        units = 0;
        return new Taken(frames, owned);
    }

    /**
     * The frame with duplicates of its descriptors, and of the file holding its shared parameters (added to
     * {@code owned}).
     */
    private static Frame withOwnDescriptors(Frame frame, List<FileDescriptor> owned) throws IOException {
        List<FileDescriptor> copies = new ArrayList<>(frame.fileDescriptors().size());
        for (FileDescriptor fd : frame.fileDescriptors()) {
            FileDescriptor copy = FileDescriptorCast.duplicating(fd).as(FileDescriptor.class);
            owned.add(copy);
            copies.add(copy);
        }
        Message message = frame.message().withFileDescriptors(copies);
        Frame copy = new Frame(frame.kind(), frame.requestId(), message);
        if (frame.sharedParams() != null) { // made once for many peers; its maker closes it once all are queued
            FileDescriptor shared = FileDescriptorCast.duplicating(frame.sharedParams()).as(FileDescriptor.class);
            owned.add(shared);
            copy = copy.withSharedParams(shared);
        }
        return copy;
    }

    /** The bytes the frames take on the wire. */
    static long bytes(List<Frame> frames) {
        long bytes = 0;
        for (Frame frame : frames) {
            bytes += frame.wireLength();
        }
        return bytes;
    }
}
