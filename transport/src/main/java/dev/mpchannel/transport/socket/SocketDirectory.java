package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The directory of a channel's socket and lock, checked as OpenSSH and systemd check their runtime directories:
 * created by this process (0700, or 0750 of {@code socket.group}) when absent; when present, used only if it is a
 * real directory (never a symbolic link: every look is {@code lstat}), owned by this process's uid, and writable by
 * nobody else (its group only when that group is {@code socket.group}). A directory this process did not create is
 * never chmod-ed or chown-ed: only the one it has just made with {@code mkdir} is. The directory's identity (device
 * and inode) is kept, so that {@link #recheck()} can tell after use whether the path still names the directory that
 * was checked.
 */
public final class SocketDirectory {
    static final int TYPE = 0170000;
    static final int DIRECTORY = 0040000;
    static final int REGULAR = 0100000;
    static final int SYMLINK = 0120000;
    static final int SOCKET = 0140000;
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;
    private static final String ATTRIBUTES = "unix:mode,uid,gid,nlink,fileKey";

    private final Path path;
    private final Object key;

    private SocketDirectory(Path path, Object key) {
        this.path = path;
        this.key = key;
    }

    /**
     * Creates the directory with {@code access} if it is absent, else checks it for {@code access}.
     *
     * @throws UnsafePathException if the directory found is not this process's own to use
     */
    public static SocketDirectory open(Path path, SocketAccess access) throws IOException {
        Optional<Map<String, Object>> found = lstat(path);
        if (found.isEmpty()) {
            Optional<SocketDirectory> created = create(path, access);
            if (created.isPresent()) {
                return created.get();
            }
            found = lstat(path); // created by someone else meanwhile: judged like any directory found
            if (found.isEmpty()) {
                throw new UnsafePathException("socket directory " + shown(path) + " vanished while it was created");
            }
        }
        Object key = found.get().get("fileKey");
        judge(path, found.get(), access);
        SocketDirectory directory = new SocketDirectory(path, key);
        directory.recheck();
        return directory;
    }

    /**
     * Checks the directory if it exists, without creating or changing anything: a symbolic link, another user's
     * directory or one writable by others is refused (its group bits are judged when the primary starts, knowing its
     * {@code socket.group}).
     */
    public static void checkIfPresent(Path path) throws IOException {
        Optional<Map<String, Object>> found = lstat(path);
        if (found.isPresent()) {
            judge(path, found.get(), null);
        }
    }

    /** The directory, which must exist, checked without creating or changing anything. */
    static SocketDirectory existing(Path path) throws IOException {
        Map<String, Object> found = lstat(path).orElseThrow(() -> new NoSuchFileException(path.toString()));
        judge(path, found, null);
        return new SocketDirectory(path, found.get("fileKey"));
    }

    /** The directory's identity (its device and inode) if it exists, looked at without following a link. */
    static Optional<Object> identity(Path path) throws IOException {
        return lstat(path).map(attributes -> attributes.get("fileKey"));
    }

    public Path path() {
        return path;
    }

    /** The directory's identity, as checked. */
    Object key() {
        return key;
    }

    /**
     * Checks again that the path names the directory that was checked, and that it still passes: called after the
     * lock and socket were made in it, it tells whether they were made where they should have been.
     */
    public void recheck() throws IOException {
        Optional<Map<String, Object>> now = lstat(path);
        if (now.isEmpty() || !key.equals(now.get().get("fileKey"))) {
            throw new UnsafePathException("socket directory " + shown(path) + " was replaced while it was being used: "
                    + "another process can rename it; put socket.dir in a directory that only this user can write");
        }
        judge(path, now.get(), null);
    }

    /**
     * Whether {@code entry} is absent (false) or a regular file of this uid with one link (true); anything else is
     * refused: the lock file is never a symbolic link, a device or another user's file.
     */
    static boolean ownRegularFile(Path entry) throws IOException {
        Optional<Map<String, Object>> found = lstat(entry);
        if (found.isEmpty()) {
            return false;
        }
        int mode = (Integer) found.get().get("mode");
        if ((mode & TYPE) != REGULAR) {
            throw new UnsafePathException(shown(entry) + " is " + kind(mode) + ", not the lock file this channel "
                    + "makes: remove it (no primary runs while it is there)");
        }
        long owner = ((Number) found.get().get("uid")).longValue();
        if (owner != ownUid() || ((Number) found.get().get("nlink")).intValue() != 1) {
            throw new UnsafePathException(shown(entry) + " is a file of uid " + owner + " with "
                    + found.get().get("nlink") + " link(s), not this process's own lock file (uid " + ownUid()
                    + "): remove it");
        }
        return true;
    }

    /**
     * Removes a socket left at {@code name} by a primary that died (the caller holds the lock, so no primary is
     * alive): only a socket of this uid; anything else there is refused and left as it is.
     */
    void removeStaleSocket(String name) throws IOException {
        Path entry = path.resolve(name);
        Optional<Map<String, Object>> found = lstat(entry);
        if (found.isEmpty()) {
            return;
        }
        int mode = (Integer) found.get().get("mode");
        long owner = ((Number) found.get().get("uid")).longValue();
        if ((mode & TYPE) != SOCKET || owner != ownUid()) {
            throw new UnsafePathException(shown(entry) + " is " + kind(mode) + " of uid " + owner
                    + ", not a socket left by a primary of this user: it is not removed; remove it yourself or "
                    + "choose another prefix");
        }
        Files.deleteIfExists(entry);
    }

    /** This process's effective uid: the owner of /proc/self. */
    public static long ownUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot tell this process's uid from /proc/self", e);
        }
    }

    /** A path as one printable line: control characters (a newline in a name) shown as escapes. */
    static String shown(Object path) {
        StringBuilder out = new StringBuilder();
        path.toString().codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static Optional<SocketDirectory> create(Path path, SocketAccess access) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && lstat(parent).isEmpty()) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        }
        try {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        }
        Object key = lstat(path).orElseThrow(() -> new NoSuchFileException(path.toString())).get("fileKey");
        access.apply(path, access.directoryMode());
        Map<String, Object> now = lstat(path).orElseThrow(() -> new NoSuchFileException(path.toString()));
        if (!key.equals(now.get("fileKey"))) {
            throw new UnsafePathException("socket directory " + shown(path) + " was replaced right after this process "
                    + "created it: put socket.dir in a directory that only this user can write");
        }
        judge(path, now, access);
        return Optional.of(new SocketDirectory(path, key));
    }

    /** @param access the access the primary asks for, or {@code null} when its group is not known here */
    private static void judge(Path path, Map<String, Object> found, SocketAccess access) throws IOException {
        int mode = (Integer) found.get("mode");
        String fix = "remove it (it is then created for this user alone) or set socket.dir to a directory of this "
                + "user";
        if ((mode & TYPE) != DIRECTORY) {
            throw new UnsafePathException("socket directory " + shown(path) + " is " + kind(mode) + target(path, mode)
                    + ", not a directory: " + fix);
        }
        long owner = ((Number) found.get("uid")).longValue();
        if (owner != ownUid()) {
            throw new UnsafePathException("socket directory " + shown(path) + " is owned by uid " + owner + ", not "
                    + ownUid() + " (this process): " + fix);
        }
        if ((mode & OTHERS_WRITE) != 0) {
            throw new UnsafePathException("socket directory " + shown(path) + " is writable by others (mode "
                    + octal(mode) + "): another user could replace the socket; set socket.dir to a directory of this "
                    + "user alone (it is created 0700 when absent); its mode is left as it is");
        }
        if (access == null) {
            return;
        }
        Object group = Files.getAttribute(path, "posix:group", LinkOption.NOFOLLOW_LINKS);
        boolean ofSocketGroup = access.groupAccess() && isGroup(path, group, access.group());
        if ((mode & GROUP_WRITE) != 0 && !ofSocketGroup) {
            throw new UnsafePathException("socket directory " + shown(path) + " is writable by its group (mode "
                    + octal(mode) + ", group " + shown(group) + ") and socket.group "
                    + (access.groupAccess() ? "is '" + shown(access.group()) + "'" : "is not set")
                    + ": a member could replace the socket; " + fix + "; its mode is left as it is");
        }
        if (access.groupAccess() && !(ofSocketGroup && (mode & 0010) != 0) && (mode & 0001) == 0) {
            throw new UnsafePathException("socket directory " + shown(path) + " (mode " + octal(mode) + ", group "
                    + shown(group) + ") does not let socket.group '" + shown(access.group()) + "' reach the socket: "
                    + "remove it (it is then created 0750 of that group) or give it that group and mode 0750");
        }
    }

    private static boolean isGroup(Path path, Object found, String configured) throws IOException {
        GroupPrincipal wanted;
        try {
            wanted = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(configured);
        } catch (IOException e) {
            throw new UnsafePathException(SocketAccess.GROUP_KEY + " '" + shown(configured)
                    + "' is not a group on this host");
        }
        return wanted.equals(found) || wanted.getName().equals(Objects.toString(found));
    }

    private static String kind(int mode) {
        return switch (mode & TYPE) {
            case DIRECTORY -> "a directory";
            case REGULAR -> "a regular file";
            case SYMLINK -> "a symbolic link";
            case SOCKET -> "a socket";
            case 0010000 -> "a FIFO";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            default -> "a file of type " + Integer.toOctalString(mode & TYPE);
        };
    }

    private static String target(Path path, int mode) {
        if ((mode & TYPE) != SYMLINK) {
            return "";
        }
        try {
            return " (to " + shown(Files.readSymbolicLink(path)) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }

    /** The attributes of {@code path} itself (a link is not followed), or empty if nothing is there. */
    static Optional<Map<String, Object>> lstat(Path path) throws IOException {
        try {
            return Optional.of(Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
