package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.transport.config.ChannelProperties;
import dev.mpchannel.transport.config.ConfigurationProblem;
import dev.mpchannel.transport.socket.PeerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may be on the other end, judged by the kernel's credentials for the peer (SO_PEERCRED) before any of its frames
 * is read: this process's own user and root always; other users only when their uid is in {@code allowed.uids} or
 * their gid in {@code allowed.gids}. Applied by both sides: a primary to its secondaries, a secondary to its primary.
 */
public record PeerPolicy(long ownUid, Set<Long> uids, Set<Long> gids) {
    public static final String UIDS_KEY = "allowed.uids";
    public static final String GIDS_KEY = "allowed.gids";

    public PeerPolicy {
        uids = Set.copyOf(uids);
        gids = Set.copyOf(gids);
    }

    /** The highest uid or gid: 2^32 - 2 ((uid_t) -1 means "no id" to the kernel). */
    public static final long MAX_ID = 4_294_967_294L;

    /** The policy that lets in only this process's own user and root. */
    public static PeerPolicy ownUserOnly() {
        return of(Set.of(), Set.of());
    }

    /** The policy that also lets in these uids and gids. */
    public static PeerPolicy of(Set<Long> uids, Set<Long> gids) {
        return new PeerPolicy(currentUid(), uids, gids);
    }

    public boolean allows(PeerCredentials peer) {
        return peer.uid() == ownUid || peer.uid() == 0 || uids.contains(peer.uid()) || gids.contains(peer.gid());
    }

    /** Why a peer was refused, and the keys that would let it in. */
    public String refusal(PeerCredentials peer) {
        return "refused " + peer + " (uid " + peer.uid() + ", gid " + peer.gid() + "): only uid " + ownUid
                + ", root" + (uids.isEmpty() ? "" : ", uids " + new TreeSet<>(uids))
                + (gids.isEmpty() ? "" : ", gids " + new TreeSet<>(gids))
                + " may connect; add it to " + UIDS_KEY + " or " + GIDS_KEY + " to allow it";
    }

    /** This process's effective uid: the owner of /proc/self (no JDK-internal API, so nothing to import in OSGi). */
    public static long currentUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell this process's uid from /proc/self", e);
        }
    }
}
