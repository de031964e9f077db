package dev.mpchannel.transport.socket;

import dev.mpchannel.transport.wire.FrameLimits;
import java.nio.file.Path;

/**
 * mpchannel's own wire: frames over a stream connection to the primary's socket, with large parameters in shared
 * memory.
 *
 * @param primarySocket where the primary listens
 * @param limits        what a frame may carry on this channel
 */
public record StreamWire(Path primarySocket, FrameLimits limits) implements Wire {
    @Override
    public PrimaryLink linkToPrimary() {
        return new StreamLink(primarySocket, limits);
    }

    /** Everything within the channel's frame limits fits. */
    @Override
    public String refusal(String action, int paramsLength, int fds) {
        return null;
    }

    @Override
    public boolean carriesSharedMemory() {
        return true;
    }

    @Override
    public boolean carriesCancel() {
        return true;
    }
}
