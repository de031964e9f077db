package dev.mpchannel.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket directory as a hostile local user or a careless operator leaves it: squatted by another user, a
 * symlink, shared with everyone, holding a symlink or a file of someone else's under our names. Each is refused
 * with one line, and nothing found there is changed, followed or deleted.
 */
class SocketDirectoryTest {
    private static final long NOBODY = 65534;

    @TempDir
    Path tmp;

    @Test
    void aDirectoryOwnedByAnotherUserIsRefusedAndLeftAsItIs() throws Exception {
        assumeTrue(ownUid() == 0, "needs root, to give a directory to another user");
        Path squatted = Files.createDirectory(tmp.resolve("squatted"));
        Files.setPosixFilePermissions(squatted, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(squatted, "unix:uid", (int) NOBODY);
        SocketPaths paths = new SocketPaths(squatted, "x");

        String message = refused(paths);
        assertTrue(message.contains("owned by uid " + NOBODY), message);
        assertEquals("rwxrwxrwx", mode(squatted), "its mode is untouched");
        assertEquals(NOBODY, ((Number) Files.getAttribute(squatted, "unix:uid")).longValue(), "its owner too");
        assertFalse(Files.exists(paths.lock(), LinkOption.NOFOLLOW_LINKS), "no lock file was made in it");
        assertThrows(IOException.class, () -> PrimaryLock.tryTake(paths), "a take of the lock is refused too");
        assertFalse(Files.exists(paths.lock(), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aSymlinkInPlaceOfTheDirectoryIsNotFollowed() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(tmp.resolve("run"), target);
        SocketPaths paths = new SocketPaths(link, "x");

        String message = refused(paths);
        assertTrue(message.contains("symbolic link"), message);
        assertEquals("rwxr-xr-x", mode(target), "the link's target keeps its mode");
        try (var entries = Files.list(target)) {
            assertEquals(0, entries.count(), "nothing was created in the link's target");
        }
    }

    @Test
    void aSymlinkInPlaceOfTheLockFileIsNotFollowed() throws Exception {
        Path run = privateDirectory("run");
        Path victim = Files.writeString(tmp.resolve("victim"), "keep me\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        SocketPaths paths = new SocketPaths(run, "x");
        Files.createSymbolicLink(paths.lock(), victim);

        String message = refused(paths);
        assertTrue(message.contains("symbolic link"), message);
        assertEquals("keep me\n", Files.readString(victim));
        assertEquals("rw-r--r--", mode(victim));
        assertTrue(OtherProcessLock.canLock(victim), "the link's target was not locked");
        assertTrue(Files.isSymbolicLink(paths.lock()), "the link is left where it was");
        assertFalse(Files.exists(paths.socket(), LinkOption.NOFOLLOW_LINKS), "no socket was made");
    }

    @Test
    void aSharedDirectoryLikeTmpIsRefusedAndItsModeUntouched() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(0, new ProcessBuilder("chmod", "1777", shared.toString()).start().waitFor());
        SocketPaths paths = new SocketPaths(shared, "x");

        String message = refused(paths);
        assertTrue(message.contains("writable by others"), message);
        assertEquals("1777", octalMode(shared), "the shared directory keeps its mode and sticky bit");
        assertFalse(Files.exists(paths.lock(), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aGroupWritableDirectoryIsRefusedWithoutThatSocketGroup() throws Exception {
        Path run = privateDirectory("run");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwx---"));
        String message = refused(new SocketPaths(run, "x"));
        assertTrue(message.contains("writable by its group"), message);
        assertEquals("rwxrwx---", mode(run));
    }

    @Test
    void aDirectoryOfTheSocketGroupAt0770IsUsedAsItIs() throws Exception {
        Path run = privateDirectory("run");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwx---"));
        String group = Files.getAttribute(run, "posix:group").toString();
        try (Listener listener = Listener.bind(new SocketPaths(run, "x"), new SocketAccess(group))) {
            assertEquals("rwxrwx---", mode(run), "not changed: this run did not create it");
            assertEquals("rw-rw----", mode(listener.paths().socket()));
        }
    }

    @Test
    void anExistingDirectoryTheSocketGroupCannotEnterIsRefusedNotChanged() throws Exception {
        Path run = privateDirectory("run");
        String group = Files.getAttribute(run, "posix:group").toString();
        IOException e = assertThrows(IOException.class,
                () -> Listener.bind(new SocketPaths(run, "x"), new SocketAccess(group)).close());
        assertTrue(e.getMessage().contains("does not let socket.group"), e.getMessage());
        assertEquals("rwx------", mode(run));
    }

    @Test
    void aRegularFileNamedLikeTheSocketIsNeitherDeletedNorUsed() throws Exception {
        Path run = privateDirectory("run");
        SocketPaths paths = new SocketPaths(run, "x");
        Files.writeString(paths.socket(), "someone's data\n");

        String message = refused(paths);
        assertTrue(message.contains("not a socket"), message);
        assertEquals("someone's data\n", Files.readString(paths.socket()));
        assertTrue(OtherProcessLock.canLock(paths.lock()), "the refused primary let its lock go");
    }

    @Test
    void aStaleSocketOfOursIsReplaced() throws Exception {
        Path run = privateDirectory("run");
        SocketPaths paths = new SocketPaths(run, "x");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(paths.socket())); // closed without unlinking: a primary that died
        }
        try (Listener listener = Listener.bind(paths, SocketAccess.PRIVATE)) {
            assertTrue(Files.exists(paths.socket(), LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void anAbsentDirectoryIsCreatedForItsUserOnly() throws Exception {
        SocketPaths paths = new SocketPaths(tmp.resolve("fresh"), "x");
        try (Listener listener = Listener.bind(paths, SocketAccess.PRIVATE)) {
            assertEquals("rwx------", mode(paths.directory()));
            assertEquals("rw-------", mode(paths.socket()));
        }
    }

    private static long ownUid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }

    /** Binding is refused with one line; returns it. */
    private static String refused(SocketPaths paths) {
        IOException e = assertThrows(IOException.class, () -> Listener.bind(paths, SocketAccess.PRIVATE).close());
        assertFalse(e instanceof PrimaryAliveException, e.toString());
        String message = e.getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.contains(paths.directory().toString()), "names what it found: " + message);
        return message;
    }

    private Path privateDirectory(String name) throws IOException {
        Path created = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(created, PosixFilePermissions.fromString("rwx------"));
        return created;
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static String octalMode(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return Integer.toOctalString(mode & 07777);
    }
}
