package dev.mpchannel.transport.launch;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.socket.PrimaryLock;
import dev.mpchannel.transport.socket.SocketDirectory;
import dev.mpchannel.transport.socket.SocketPaths;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Which side this process takes on a channel: the configured role, or for {@code role=auto} (DPDK's
 * {@code --proc-type=auto}) the secondary if another primary is alive, else the primary when its bundle is installed
 * and the secondary when only that one is. Decided per channel, from the channel's lock alone: nothing is kept
 * between decisions, so a process that cannot be the primary never holds the lock. The look at the lock takes nothing
 * and opens no descriptor of a lock this process holds ({@link PrimaryLock#isHeld}).
 */
final class RoleChoice {
    private RoleChoice() {
    }

    /**
     * @param configured the configured role, {@code null} for auto
     * @param installed  the sides whose bundles are active here
     * @return the side to start, or empty if there is none to start yet
     * @throws dev.mpchannel.transport.socket.UnsafePathException for a primary or auto whose socket directory is not
     *                                                           this process's own (one line, what to do)
     */
    static Optional<Role> choose(Role configured, SocketPaths paths, Set<Role> installed) throws IOException {
        if (configured == Role.SECONDARY) {
            return Optional.of(configured); // its directory may be another user's, with socket.group
        }
        // a primary (or auto, which may become one) in a directory not its own is refused here, in one line, before
        // its side starts; the primary checks again as it takes the lock
        SocketDirectory.checkIfPresent(paths.directory());
        if (configured == Role.PRIMARY) {
            return Optional.of(configured);
        }
        if (PrimaryLock.isHeld(paths)) {
            return Optional.of(Role.SECONDARY);
        }
        if (installed.contains(Role.PRIMARY)) {
            return Optional.of(Role.PRIMARY);
        }
        return installed.contains(Role.SECONDARY) ? Optional.of(Role.SECONDARY) : Optional.empty();
    }
}
