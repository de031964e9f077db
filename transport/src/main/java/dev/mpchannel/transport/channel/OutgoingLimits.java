package dev.mpchannel.transport.channel;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.transport.socket.Wire;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * What a message this side sends must fit: the channel's limits and its wire's (DPDK's fixed datagram, for one). Checked
 * before anything is written, so the caller learns why ({@code TOO_LARGE}) instead of the peer refusing the frame.
 */
final class OutgoingLimits {
    private final FrameLimits limits;
    private final Wire wire;

    OutgoingLimits(FrameLimits limits, Wire wire) {
        this.limits = limits;
        this.wire = wire;
    }

    /** The messages as frames, every one checked first: one that breaks a limit fails them all. */
    List<Frame> frames(List<Message> messages) throws ChannelException {
        List<Frame> frames = new ArrayList<>(messages.size());
        for (Message message : messages) {
            check(message);
            frames.add(Frame.message(message));
        }
        return frames;
    }

    void check(Message message) throws ChannelException {
        String problem = wire.refusal(message.action(), message.paramsLength(), message.fileDescriptors().size());
        if (problem != null) {
            throw new ChannelException(ChannelException.Reason.TOO_LARGE, problem);
        }
        if (message.paramsLength() > limits.maxParamsBytes()) {
            throw new ChannelException(ChannelException.Reason.TOO_LARGE, "parameters of " + message.paramsLength()
                    + " bytes exceed max.message.bytes (" + limits.maxParamsBytes() + ")");
        }
        if (message.fileDescriptors().size() > limits.maxFileDescriptors()) {
            throw new ChannelException(ChannelException.Reason.TOO_LARGE, message.fileDescriptors().size()
                    + " file descriptors exceed max.fds (" + limits.maxFileDescriptors() + ")");
        }
        if (limits.shared(message.paramsLength()) && message.fileDescriptors().size() >= FrameLimits.MAX_RECEIVABLE_FDS) {
            throw new ChannelException(ChannelException.Reason.TOO_LARGE, "parameters in shared memory take one of the "
                    + FrameLimits.MAX_RECEIVABLE_FDS + " descriptors a message can carry; this one has all of them");
        }
    }
}
