package dev.mpchannel.transport.dpdk;

import dev.mpchannel.transport.socket.KernelLocks;
import java.io.IOException;
import java.nio.file.Path;

/** The DPDK primary's lock on its {@code config} file, looked at from outside. */
final class ConfigLock {
    private ConfigLock() {
    }

    /**
     * Whether some process holds a lock on the file, as DPDK's own secondaries ask it ({@code F_GETLK}): read from
     * {@code /proc/locks}, never by taking a lock, which a DPDK primary starting at that moment would find taken
     * (it takes its lock without waiting, and fails or comes up as a secondary), and never through a descriptor of
     * the file, whose closing would drop a lock this process holds on it.
     */
    static boolean isHeld(Path config) {
        try {
            return KernelLocks.isLocked(config);
        } catch (IOException e) {
            return false; // no /proc/locks: DPDK is Linux-only, so no primary to find either
        }
    }
}
