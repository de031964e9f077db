package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The lock on {@code <prefix>.lock} that a primary holds for its whole life. The kernel releases it when the
 * process dies, however it dies, so it tells reliably whether a primary is alive; the socket file cannot. The lock
 * file itself is never deleted: deleting it while another process waits on it would let two primaries lock two
 * different files.
 */
public final class PrimaryLock implements AutoCloseable {
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
                lock = null; // held by this very JVM (the kernel's lock cannot tell it from another process)
            }
            if (lock == null) {
                file.close();
                return Optional.empty();
            }
            return Optional.of(new PrimaryLock(paths, file));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Whether a primary (in any process, this one included) holds the lock now. Only a glimpse: the answer may be
     * stale by the time the caller acts on it.
     */
    public static boolean isHeld(SocketPaths paths) throws IOException {
        Optional<PrimaryLock> lock = tryTake(paths);
        lock.ifPresent(PrimaryLock::close);
        return lock.isEmpty();
    }

    public SocketPaths paths() {
        return paths;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // closing a file we only locked: the lock is released with the descriptor either way
        }
    }
}
