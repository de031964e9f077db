package dev.mpchannel.api;

import java.time.Instant;

/**
 * A process on the other end of the channel, as the kernel identified it (SO_PEERCRED) when it connected.
 *
 * @param id             a secondary's is unique among the secondaries of every channel of this process, for the life
 *                       of the process; the primary is always 0. A {@code Peer} names one connection: a channel
 *                       addresses the peer equal to it as a whole (a reconnected primary, still 0, differs in
 *                       {@code pid} or {@code connectedSince}), so one of another channel or of an earlier connection
 *                       is {@link ChannelException.Reason#UNKNOWN_PEER}
 * @param role           the peer's role
 * @param pid            the peer's process id
 * @param uid            the peer's user id
 * @param gid            the peer's group id
 * @param connectedSince when the connection was made
 */
public record Peer(long id, Role role, long pid, long uid, long gid, Instant connectedSince) {
    /** The id a secondary knows its primary by. */
    public static final long PRIMARY_ID = 0;

    @Override
    public String toString() {
        return role.name().toLowerCase(java.util.Locale.ROOT) + "#" + id + "(pid " + pid + ")";
    }
}
