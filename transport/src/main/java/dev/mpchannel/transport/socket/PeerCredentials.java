package dev.mpchannel.transport.socket;

import dev.mpchannel.api.Role;
import java.time.Instant;
import java.util.Locale;

/**
 * Who is on the other end of a connection, as the kernel identified it (SO_PEERCRED) when it connected, with the id
 * this process gave the connection. The channel makes its {@link dev.mpchannel.api.Peer} of it.
 *
 * @param id             a secondary's is unique for the life of this process; the primary's is always 0
 * @param role           the peer's role
 * @param pid            the peer's process id
 * @param uid            the peer's user id
 * @param gid            the peer's group id
 * @param connectedSince when the connection was made
 */
public record PeerCredentials(long id, Role role, long pid, long uid, long gid, Instant connectedSince) {
    @Override
    public String toString() {
        return role.name().toLowerCase(Locale.ROOT) + "#" + id + "(pid " + pid + ")";
    }
}
