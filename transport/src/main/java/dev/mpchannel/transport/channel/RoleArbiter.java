package dev.mpchannel.transport.channel;

import dev.mpchannel.transport.socket.PrimaryLock;
import dev.mpchannel.transport.socket.SocketPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides {@code role=auto} (DPDK's {@code --proc-type=auto}): this process is the primary if no other process holds
 * the channel's primary lock, else a secondary. Two components in this JVM ask, in whatever order DS activates
 * them: the primary one for the lock, the secondary one whether a primary runs elsewhere. If the secondary asks
 * first and the lock is free, the arbiter takes it and keeps it for the primary component, so no other process can
 * slip in between. (So in a JVM with role=auto, install both impl bundles.)
 */
public final class RoleArbiter {
    private static final Map<Path, PrimaryLock> KEPT_FOR_PRIMARY = new HashMap<>();

    private RoleArbiter() {
    }

    /** For the primary component: the lock, if this process is to be the channel's primary. */
    public static synchronized Optional<PrimaryLock> claimPrimary(SocketPaths paths) throws IOException {
        PrimaryLock kept = KEPT_FOR_PRIMARY.remove(paths.lock());
        return kept != null ? Optional.of(kept) : PrimaryLock.tryTake(paths);
    }

    /** For the secondary component: whether another process is the channel's primary. */
    public static synchronized boolean primaryElsewhere(SocketPaths paths) throws IOException {
        if (KEPT_FOR_PRIMARY.containsKey(paths.lock()) || PrimaryLock.isHeldHere(paths)) {
            return false;
        }
        Optional<PrimaryLock> lock = PrimaryLock.tryTake(paths);
        lock.ifPresent(taken -> KEPT_FOR_PRIMARY.put(paths.lock(), taken));
        return lock.isEmpty();
    }
}
