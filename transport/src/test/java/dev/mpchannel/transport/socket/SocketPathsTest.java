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
