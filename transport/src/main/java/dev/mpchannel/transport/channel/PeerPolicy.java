package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Peer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The policy from the configured lists (each entry may itself be comma-separated). */
    public static PeerPolicy of(String[] uids, String[] gids) {
        return new PeerPolicy(currentUid(), ids(UIDS_KEY, uids), ids(GIDS_KEY, gids));
    }

    public boolean allows(Peer peer) {
        return peer.uid() == ownUid || peer.uid() == 0 || uids.contains(peer.uid()) || gids.contains(peer.gid());
    }

    /** Why a peer was refused, and the keys that would let it in. */
    public String refusal(Peer peer) {
        return "refused " + peer + " (uid " + peer.uid() + ", gid " + peer.gid() + "): only uid " + ownUid
                + ", root" + (uids.isEmpty() ? "" : ", uids " + new TreeSet<>(uids))
                + (gids.isEmpty() ? "" : ", gids " + new TreeSet<>(gids))
                + " may connect; add it to " + UIDS_KEY + " or " + GIDS_KEY + " to allow it";
    }

    /** This process's effective uid: the owner of /proc/self (no JDK-internal API, so nothing to import in OSGi). */
    static long currentUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell this process's uid from /proc/self", e);
        }
    }

    private static Set<Long> ids(String key, String[] configured) {
        Set<Long> ids = new TreeSet<>();
        for (String value : configured) {
            for (String entry : value.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                try {
                    ids.add(Long.parseLong(entry.strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " lists numeric ids, not '" + entry.strip() + "'");
                }
            }
        }
        return ids;
    }
}
