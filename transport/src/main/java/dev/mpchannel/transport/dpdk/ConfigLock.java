package dev.mpchannel.transport.dpdk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The DPDK primary's lock on its {@code config} file, looked at from outside. */
final class ConfigLock {
    private ConfigLock() {
    }

    /**
     * Whether some process holds a lock on the file. A shared lock is tried and released at once: held for longer, it
     * would make a DPDK primary starting meanwhile come up as a secondary, or fail.
     */
    static boolean isHeld(Path config) {
        try (FileChannel file = FileChannel.open(config, StandardOpenOption.READ)) {
            FileLock lock = file.tryLock(0, Long.MAX_VALUE, true);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false; // no config file: no primary
        }
    }
}
