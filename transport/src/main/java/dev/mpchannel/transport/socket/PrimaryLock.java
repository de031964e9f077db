package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.util.Optional;

/**
 * The lock on {@code <prefix>.lock} that a primary holds for its whole life. The kernel releases it when the
 * process dies, however it dies, so it tells reliably whether a primary is alive; the socket file cannot. The lock
 * file itself is never deleted: deleting it while another process waits on it would let two primaries lock two
 * different files. The process has one descriptor per lock file, shared by all its channels ({@link LockFile}):
 * closing a second one would drop the lock for the whole process.
 */
public final class PrimaryLock implements AutoCloseable {
    private final SocketPaths paths;
    private final LockFile file;
    private boolean closed;

    private PrimaryLock(SocketPaths paths, LockFile file) {
        this.paths = paths;
        this.file = file;
    }

    /**
     * Takes the lock, or returns empty if a primary (in any process, this one included) holds it. The directory is
     * created for this user alone if absent, and checked if present ({@link SocketDirectory}).
     *
     * @throws UnsafePathException if the directory or the lock file found is not this process's own
     */
    public static Optional<PrimaryLock> tryTake(SocketPaths paths) throws IOException {
        return tryTake(paths, SocketDirectory.open(paths.directory(), SocketAccess.PRIVATE));
    }

    /** Takes the lock in a directory already checked. */
    static Optional<PrimaryLock> tryTake(SocketPaths paths, SocketDirectory directory) throws IOException {
        LockFile file = LockFile.open(directory, lockName(paths));
        boolean taken = false;
        try {
            taken = LockFile.tryLock(file);
        } finally {
            if (!taken) {
                LockFile.release(file);
            }
        }
        return taken ? Optional.of(new PrimaryLock(paths, file)) : Optional.empty();
    }

    /**
     * Whether a primary (in any process, this one included) holds the lock now, found without taking it and without
     * creating anything. Only a glimpse: the answer may be stale by the time the caller acts on it.
     *
     * @throws UnsafePathException if the directory or the lock file found is not this process's own
     */
    public static boolean isHeld(SocketPaths paths) throws IOException {
        SocketDirectory.checkIfPresent(paths.directory());
        Optional<Object> directory = SocketDirectory.identity(paths.directory());
        if (directory.isEmpty()) {
            return false; // no directory, no lock file: nobody holds it
        }
        if (LockFile.heldHere(directory.get(), lockName(paths))) {
            return true; // by this process: looked up, not opened again
        }
        try {
            SocketDirectory.ownRegularFile(paths.lock());
            return KernelLocks.isLocked(paths.lock(), LinkOption.NOFOLLOW_LINKS);
        } catch (UnsafePathException e) {
            throw e;
        } catch (IOException noProcLocks) {
            return probe(paths);
        }
    }

    public SocketPaths paths() {
        return paths;
    }

    /** Releases the lock (idempotent); the lock file stays, see the class comment. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LockFile.unlock(file);
            LockFile.release(file);
        }
    }

    private static boolean probe(SocketPaths paths) throws IOException {
        LockFile file = LockFile.open(SocketDirectory.existing(paths.directory()), lockName(paths));
        try {
            return LockFile.probe(file);
        } finally {
            LockFile.release(file);
        }
    }

    private static String lockName(SocketPaths paths) {
        return paths.lock().getFileName().toString();
    }
}
