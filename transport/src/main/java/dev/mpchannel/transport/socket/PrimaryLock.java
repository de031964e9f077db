package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock on {@code <prefix>.lock} that a primary holds for its whole life. The kernel releases it when the
 * process dies, however it dies, so it tells reliably whether a primary is alive; the socket file cannot. The lock
 * file itself is never deleted: deleting it while another process waits on it would let two primaries lock two
 * different files.
 */
public final class PrimaryLock implements AutoCloseable {
    /** The lock files this JVM holds: the kernel's lock cannot tell this process from another. */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final SocketPaths paths;
    private final FileChannel file;

    private PrimaryLock(SocketPaths paths, FileChannel file) {
        this.paths = paths;
        this.file = file;
    }

    /** Takes the lock, or returns empty if a primary (in any process, this one included) holds it. */
    public static Optional<PrimaryLock> tryTake(SocketPaths paths) throws IOException {
        paths.createDirectory();
        Path lockPath = paths.lock();
        FileChannel file = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = file.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                file.close();
                return Optional.empty();
            }
            HELD_HERE.add(lockPath);
            return Optional.of(new PrimaryLock(paths, file));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Whether this JVM holds the lock of these paths. */
    public static boolean isHeldHere(SocketPaths paths) {
        return HELD_HERE.contains(paths.lock());
    }

    public SocketPaths paths() {
        return paths;
    }

    @Override
    public void close() throws IOException {
        if (file.isOpen()) {
            file.close();
            HELD_HERE.remove(paths.lock());
        }
    }
}
