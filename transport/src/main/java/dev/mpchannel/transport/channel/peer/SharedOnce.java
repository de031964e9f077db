package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameLimits;
import dev.mpchannel.transport.wire.SharedParams;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames for several peers whose parameters travel in shared memory, written to /dev/shm once for all of them: each
 * peer is sent the same file's descriptor (each maps it read-only). Closing it closes this side's descriptor of each
 * file, once every write is done or queued (a queued frame holds a duplicate); the memory goes when the last peer
 * lets go.
 */
public final class SharedOnce implements AutoCloseable {
    private final List<Frame> frames;
    private final List<FileInputStream> files;

    private SharedOnce(List<Frame> frames, List<FileInputStream> files) {
        this.frames = frames;
        this.files = files;
    }

    /**
     * @param limits the channel's limits, or {@code null} where a wire has no shared memory (DPDK's); with fewer than
     *               two peers each writer makes its own file, as it would anyway
     */
    public static SharedOnce of(List<Frame> frames, int peers, FrameLimits limits) throws ChannelException {
        if (limits == null || peers < 2 || frames.stream().noneMatch(f -> limits.shared(f.message().paramsLength()))) {
            return new SharedOnce(frames, List.of());
        }
        List<Frame> shared = new ArrayList<>(frames.size());
        List<FileInputStream> files = new ArrayList<>();
        try {
            for (Frame frame : frames) {
                if (!limits.shared(frame.message().paramsLength())) {
                    shared.add(frame);
                    continue;
                }
                FileInputStream file = SharedParams.create(frame.message().paramsBuffer());
                files.add(file);
                shared.add(frame.withSharedParams(file.getFD()));
            }
        } catch (IOException e) {
            new SharedOnce(shared, files).close();
            throw new ChannelException(ChannelException.Reason.IO,
                    "could not write the parameters to shared memory: " + e, e);
        }
        return new SharedOnce(shared, files);
    }

    /** The frames to write, to every peer. */
    public List<Frame> frames() {
        return frames;
    }

    @Override
    public void close() {
        for (FileInputStream file : files) {
            try {
                file.close();
            } catch (IOException ignored) {
                // unlinked already: closing only lets go of this side's hold on the memory
            }
        }
    }
}
