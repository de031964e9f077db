package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one descriptor this JVM has on a lock file, shared by every channel of the process. POSIX locks belong to the
 * process, and closing any descriptor of a file drops all of them: a second {@code FileChannel} on a lock this
 * process holds, opened to look and closed, would free it for another process. So lock files are opened here only,
 * once each, keyed by the identity of their directory (device and inode) and their name, counted by their users and
 * closed when the last one goes. Every method holds the class's monitor: a look and a take never interleave.
 */
final class LockFile {
    private static final Map<String, LockFile> OPEN = new HashMap<>();

    private final String key;
    private final FileChannel channel;
    private FileLock lock;
    private int users;

    private LockFile(String key, FileChannel channel) {
        this.key = key;
        this.channel = channel;
    }

    /** Opens (or shares) the lock file {@code name} of {@code directory}, creating it if absent. */
    static synchronized LockFile open(SocketDirectory directory, String name) throws IOException {
        String key = key(directory.key(), name);
        LockFile file = OPEN.get(key);
        if (file == null) {
            // a link, a device or another user's file is refused before it is opened
            SocketDirectory.ownRegularFile(directory.path().resolve(name));
            // O_NOFOLLOW: a link put there after the look is not followed either
            FileChannel channel = FileChannel.open(directory.path().resolve(name), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            try {
                if (!SocketDirectory.ownRegularFile(directory.path().resolve(name))) {
                    throw new IOException(directory.path().resolve(name) + " vanished as it was opened");
                }
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            file = new LockFile(key, channel);
            OPEN.put(key, file);
        }
        file.users++;
        return file;
    }

    /** Whether this process holds the lock file {@code name} of the directory of identity {@code directoryKey}. */
    static synchronized boolean heldHere(Object directoryKey, String name) {
        LockFile file = OPEN.get(key(directoryKey, name));
        return file != null && file.lock != null;
    }

    /** Takes the lock if no process (this one included) holds it. */
    static synchronized boolean tryLock(LockFile file) throws IOException {
        if (file.lock != null) {
            return false;
        }
        try {
            file.lock = file.channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return false; // another FileChannel of this JVM, outside this class, holds it
        }
        return file.lock != null;
    }

    /**
     * Whether some process holds the lock, found by taking it and letting it go at once. Only where
     * {@code /proc/locks} cannot be read: a primary of another process starting at that moment finds it taken.
     */
    static synchronized boolean probe(LockFile file) throws IOException {
        if (file.lock != null) {
            return true;
        }
        Optional<FileLock> taken;
        try {
            taken = Optional.ofNullable(file.channel.tryLock());
        } catch (OverlappingFileLockException e) {
            return true;
        }
        if (taken.isPresent()) {
            taken.get().release();
        }
        return taken.isEmpty();
    }

    /** Lets the lock go (the descriptor stays open for the other users). */
    static synchronized void unlock(LockFile file) {
        if (file.lock != null) {
            try {
                file.lock.release();
            } catch (IOException e) {
                // the descriptor is closed with its last user, which releases the lock anyway
            }
            file.lock = null;
        }
    }

    /** One user fewer; the last one closes the descriptor. */
    static synchronized void release(LockFile file) {
        if (--file.users > 0) {
            return;
        }
        OPEN.remove(file.key);
        file.lock = null;
        try {
            file.channel.close();
        } catch (IOException e) {
            // closing a file we only locked: the lock goes with the descriptor either way
        }
    }

    private static String key(Object directoryKey, String name) {
        return directoryKey + "/" + name;
    }
}
