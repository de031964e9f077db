package dev.mpchannel.transport.channel;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.transport.channel.peer.Audience;
import dev.mpchannel.transport.channel.peer.PeerSession;
import dev.mpchannel.transport.channel.peer.SharedOnce;
import dev.mpchannel.transport.socket.Wire;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends this side's messages: each is checked first against what it must fit (the channel's limits and its wire's,
 * DPDK's fixed datagram for one), so the caller learns why ({@code TOO_LARGE}) instead of the peer refusing the
 * frame; then it is written to every target or to one.
 */
final class Sender {
    private final FrameLimits limits;
    private final Wire wire;
    private final Audience audience;

    Sender(FrameLimits limits, Wire wire, Audience audience) {
        this.limits = limits;
        this.wire = wire;
        this.audience = audience;
    }

    /** The limits by which large parameters go in shared memory, or {@code null} on a wire without (DPDK's). */
    FrameLimits sharing() {
        return wire.carriesSharedMemory() ? limits : null;
    }

    /**
     * Writes the messages to every target (shared parameters written once for all).
     *
     * @return to how many targets they were all written
     */
    int toAll(List<PeerSession> targets, List<Message> messages) throws ChannelException {
        List<Frame> messageFrames = frames(messages, targets);
        if (messageFrames.isEmpty()) {
            return 0;
        }
        int written = 0;
        try (SharedOnce shared = SharedOnce.of(messageFrames, targets.size(), sharing())) {
            List<Frame> frames = shared.frames();
            for (PeerSession target : targets) {
                try {
                    target.write(frames);
                    written++;
                } catch (IOException e) {
                    if (audience.failsWhenOneWriteFails()) {
                        throw new ChannelException(ChannelException.Reason.IO,
                                "could not send to " + target.peer() + ": " + e, e);
                    }
                }
            }
        }
        return written;
    }

    /** Writes the messages to one target, which holds back no one else. */
    void toOne(PeerSession target, List<Message> messages) throws ChannelException {
        List<Frame> frames = frames(messages, List.of(target));
        if (frames.isEmpty()) {
            return;
        }
        try {
            target.writeAlone(frames);
        } catch (IOException e) {
            throw new ChannelException(ChannelException.Reason.IO, "could not send to " + target.peer() + ": " + e, e);
        }
    }

    /** Checks that a message may go to these targets: it fits, and there is somebody to send to where that matters. */
    void check(Message message, List<PeerSession> targets) throws ChannelException {
        check(message);
        audience.checkReachable(targets);
    }

    /** The messages as frames, every one checked first: one that breaks a limit fails them all before any is sent. */
    private List<Frame> frames(List<Message> messages, List<PeerSession> targets) throws ChannelException {
        List<Frame> frames = new ArrayList<>(messages.size());
        for (Message message : messages) {
            check(message);
            frames.add(Frame.message(message));
        }
        audience.checkReachable(targets);
        return frames;
    }

    private void check(Message message) throws ChannelException {
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
