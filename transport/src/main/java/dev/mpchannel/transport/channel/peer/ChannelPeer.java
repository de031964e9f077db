package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.socket.PeerCredentials;
import java.time.Instant;

/**
 * A peer as one channel gives it out: one instance per connection, and the channel addresses a peer only with the
 * very instance it gave (not an equal one), so that no {@link Peer} of another channel or of an earlier connection
 * reaches a process by accident.
 *
 * @param channel     the channel's name
 * @param credentials who connected
 */
public record ChannelPeer(String channel, PeerCredentials credentials) implements Peer {
    @Override
    public long id() {
        return credentials.id();
    }

    @Override
    public Role role() {
        return credentials.role();
    }

    @Override
    public long pid() {
        return credentials.pid();
    }

    @Override
    public long uid() {
        return credentials.uid();
    }

    @Override
    public long gid() {
        return credentials.gid();
    }

    @Override
    public Instant connectedSince() {
        return credentials.connectedSince();
    }

    @Override
    public String toString() {
        return credentials.toString();
    }
}
