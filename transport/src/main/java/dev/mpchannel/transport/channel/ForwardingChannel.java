package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Role;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Channel} that forwards every call to a {@link ChannelRuntime}: the base of the side components, since a
 * Declarative Services component is itself the service object it registers.
 */
public abstract class ForwardingChannel implements Channel {
    protected final ChannelRuntime runtime;

    protected ForwardingChannel(ChannelRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String name() {
        return runtime.name();
    }

    @Override
    public Role role() {
        return runtime.role();
    }

    @Override
    public List<Peer> peers() {
        return runtime.peers();
    }

    @Override
    public int send(Message message) throws ChannelException {
        return runtime.send(message);
    }

    @Override
    public void send(Peer peer, Message message) throws ChannelException {
        runtime.send(peer, message);
    }

    @Override
    public int sendAll(List<Message> messages) throws ChannelException {
        return runtime.sendAll(messages);
    }

    @Override
    public void sendAll(Peer peer, List<Message> messages) throws ChannelException {
        runtime.sendAll(peer, messages);
    }

    @Override
    public Replies request(Message message, Duration timeout) throws ChannelException, InterruptedException {
        return runtime.request(message, timeout);
    }

    @Override
    public Replies request(Peer peer, Message message, Duration timeout) throws ChannelException, InterruptedException {
        return runtime.request(peer, message, timeout);
    }

    @Override
    public CompletionStage<Replies> requestAsync(Message message, Duration timeout) {
        return runtime.requestAsync(message, timeout);
    }

    @Override
    public CompletionStage<Replies> requestAsync(Peer peer, Message message, Duration timeout) {
        return runtime.requestAsync(peer, message, timeout);
    }

    @Override
    public ChannelStatus status() {
        return runtime.status();
    }
}
