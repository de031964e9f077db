package dev.mpchannel.testkit;

import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import java.io.FileDescriptor;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** What a peer's action in an {@link InMemoryChannel} is handed: the channel, the calling side as the peer, the message. */
final class InMemoryContext implements ActionContext {
    private final Channel channel;
    private final Peer from;
    private final Message message;
    private final long requestId;
    private final AtomicBoolean taken = new AtomicBoolean();

    /** {@code requestId} 0 for a message that is not a request. */
    InMemoryContext(Channel channel, Peer from, Message message, long requestId) {
        this.channel = channel;
        this.from = from;
        this.message = message;
        this.requestId = requestId;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public Peer peer() {
        return from;
    }

    @Override
    public Message message() {
        return message;
    }

    @Override
    public boolean isRequest() {
        return requestId != 0;
    }

    @Override
    public long requestId() {
        return requestId;
    }

    /** Nothing here gives up on a request: the in-memory channel waits for every answer. */
    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void onCancel(Runnable callback) {
        // never cancelled: see isCancelled
    }

    /** The message's descriptors as they are (not duplicated), to the first caller only. */
    @Override
    public List<FileDescriptor> takeFileDescriptors() {
        return taken.compareAndSet(false, true) ? message.fileDescriptors() : List.of();
    }
}
