package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Peer;
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

    /**
     * The policy from the configured ids.
     *
     * @throws ConfigurationProblem for an entry that is not an id of 0..{@value #MAX_ID}, naming the key
     */
    public static PeerPolicy of(List<String> uids, List<String> gids) {
        return new PeerPolicy(currentUid(), ids(UIDS_KEY, uids), ids(GIDS_KEY, gids));
    }

    /** The policy from configured lists whose entries may themselves be comma-separated. */
    public static PeerPolicy of(String[] uids, String[] gids) {
        return of(entries(uids), entries(gids));
    }

    private static List<String> entries(String[] configured) {
        return Arrays.stream(configured).flatMap(value -> Arrays.stream(value.split(",")))
                .filter(entry -> !entry.isBlank()).map(String::strip).toList();
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

    private static Set<Long> ids(String key, List<String> configured) {
        Set<Long> ids = new TreeSet<>();
        for (String entry : configured) {
            long id;
            try {
                id = Long.parseLong(entry.strip());
            } catch (NumberFormatException e) {
                throw new ConfigurationProblem(key + "=" + ChannelProperties.show(entry) + " is not a number (allowed: "
                        + "numeric ids 0.." + MAX_ID + ")");
            }
            if (id < 0 || id > MAX_ID) {
                throw new ConfigurationProblem(key + "=" + entry.strip() + " is out of range (allowed: numeric ids 0.."
                        + MAX_ID + ")");
            }
            ids.add(id);
        }
        return ids;
    }
}
