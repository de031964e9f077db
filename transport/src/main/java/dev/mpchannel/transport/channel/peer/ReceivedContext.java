package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.text.Printable;
import dev.mpchannel.transport.wire.FileDescriptors;
import java.io.FileDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dispatcher hands an action for one received message or request. The message's descriptors are the
 * context's until the action takes them; the dispatcher closes the ones not taken when the action ends. A request's
 * context learns that the requester gave up on it ({@link #cancel()}).
 */
final class ReceivedContext implements ActionContext {
    private static final Logger LOG = LoggerFactory.getLogger(ReceivedContext.class);

    private final Channel channel;
    private final Peer peer;
    private final Message message;
    private final long requestId;
    private boolean descriptorsGone; // taken by the action, or closed; guarded by this
    private List<Runnable> onCancel = List.of(); // a list once a callback came; null once cancelled; guarded by this

    /** @param requestId the request's id, 0 for a message */
    ReceivedContext(Channel channel, Peer peer, Message message, long requestId) {
        this.channel = channel;
        this.peer = peer;
        this.message = message;
        this.requestId = requestId;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public Peer peer() {
        return peer;
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

    @Override
    public synchronized boolean isCancelled() {
        return onCancel == null;
    }

    @Override
    public void onCancel(Runnable callback) {
        synchronized (this) {
            if (onCancel != null) {
                if (onCancel.isEmpty()) {
                    onCancel = new ArrayList<>(1); // most actions never ask: no list for them
                }
                onCancel.add(callback);
                return;
            }
        }
        run(callback);
    }

    /** The requester gave up: says so to the action, once. */
    void cancel() {
        List<Runnable> callbacks;
        synchronized (this) {
            if (onCancel == null) {
                return;
            }
            callbacks = onCancel;
            onCancel = null;
        }
        callbacks.forEach(this::run);
    }

    private void run(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException | Error e) { // the action's own failure: the reader goes on
            LOG.warn("{}: a cancellation callback failed: {}", this, String.valueOf(e));
        }
    }

    @Override
    public List<FileDescriptor> takeFileDescriptors() {
        return takeOnce() ? message.fileDescriptors() : List.of();
    }

    /** Whether this call is the first to take (or close) the descriptors; no lock taken when there are none. */
    private boolean takeOnce() {
        if (message.fileDescriptors().isEmpty()) {
            return false; // nothing to take or close
        }
        synchronized (this) {
            if (descriptorsGone) {
                return false;
            }
            descriptorsGone = true;
            return true;
        }
    }

    /** Closes the descriptors the action did not take; once the action has ended. */
    void closeUntaken() {
        closeUntaken(List.of());
    }

    /**
     * Closes the descriptors the action did not take but those its reply carries on (whoever writes the reply closes
     * those); once the action has ended, before its reply is written, so that the requester, once answered, finds
     * nothing of its request held here.
     */
    void closeUntaken(List<FileDescriptor> passedOn) {
        if (takeOnce()) {
            for (FileDescriptor fd : message.fileDescriptors()) {
                if (passedOn.stream().noneMatch(reply -> reply == fd)) {
                    FileDescriptors.close(fd);
                }
            }
        }
    }

    @Override
    public String toString() {
        return (isRequest() ? "request " + requestId : "message") + " '" + Printable.escape(message.action()) + "' from "
                + peer + " on " + channel.name();
    }
}
