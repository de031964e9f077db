package dev.mpchannel.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketPathsTest {
    @TempDir
    Path dir;

    @Test
    void theSocketIsNamedForThePrefix() {
        SocketPaths paths = SocketPaths.of(dir.toString(), "demo");
        assertEquals(dir.resolve("demo.sock"), paths.socket());
        assertEquals(dir.resolve("demo.lock"), paths.lock());
    }

    @Test
    void theDirectoryIsCreatedForItsUserOnly() throws Exception {
        SocketPaths paths = SocketPaths.of(dir.resolve("run").toString(), "demo");
        paths.createDirectory();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.directory())));
    }

    @Test
    void aRuntimeDirectoryOfThisUserAloneIsTheDefaultsHome() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("xdg"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        assertEquals(runtime.resolve("mpchannel"), SocketPaths.defaultDirectory(runtime.toString()));
    }

    @Test
    void aRuntimeDirectoryThatIsNotThisUsersAloneIsNotUsed() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("xdg"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path fallback = Path.of("/tmp", "mpchannel-" + System.getProperty("user.name"));
        assertEquals(fallback, SocketPaths.defaultDirectory(runtime.toString()), "writable by others");
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), runtime);
        assertEquals(fallback, SocketPaths.defaultDirectory(link.toString()), "a symbolic link");
        assertEquals(fallback, SocketPaths.defaultDirectory(dir.resolve("absent").toString()), "absent");
        if (((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0) {
            Files.setAttribute(runtime, "unix:uid", 65534); // another user's, kept in the environment by sudo
            assertEquals(fallback, SocketPaths.defaultDirectory(runtime.toString()), "another user's");
        }
    }

    @Test
    void aPathTooLongForASocketIsRefusedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SocketPaths.of("/tmp/" + "d".repeat(100), "demo"));
        assertTrue(e.getMessage().contains("longer than a Unix socket path may be"), e.getMessage());
    }

    @Test
    void prefixesThatCouldEscapeTheDirectoryAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SocketPaths.of(dir.toString(), "../x"));
        assertThrows(IllegalArgumentException.class, () -> SocketPaths.of(dir.toString(), ""));
        assertThrows(IllegalArgumentException.class, () -> SocketPaths.of(dir.toString(), ".hidden"));
    }
}
