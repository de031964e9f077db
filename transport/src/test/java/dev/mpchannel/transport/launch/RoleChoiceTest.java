package dev.mpchannel.transport.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.socket.OtherProcessLock;
import dev.mpchannel.transport.socket.PrimaryLock;
import dev.mpchannel.transport.socket.SocketPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** role=auto, decided against a primary lock held by a real other process, and by the sides installed. */
class RoleChoiceTest {
    private static final Set<Role> BOTH = Set.of(Role.PRIMARY, Role.SECONDARY);

    @TempDir
    Path dir;

    @Test
    void aConfiguredRoleIsTakenAsItIs() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "fixed");
        assertEquals(Optional.of(Role.SECONDARY), RoleChoice.choose(Role.SECONDARY, paths, Set.of()));
        assertEquals(Optional.of(Role.PRIMARY), RoleChoice.choose(Role.PRIMARY, paths, BOTH));
    }

    @Test
    void withNoPrimaryAliveAutoIsThePrimaryAndKeepsNoLock() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "auto");
        assertEquals(Optional.of(Role.PRIMARY), RoleChoice.choose(null, paths, BOTH));
        assertFalse(PrimaryLock.isHeld(paths), "deciding leaves the lock free for the primary to take");
    }

    @Test
    void withOnlyTheSecondaryInstalledAutoIsASecondaryAndNeverTakesTheLock() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "only-secondary");
        assertEquals(Optional.of(Role.SECONDARY), RoleChoice.choose(null, paths, Set.of(Role.SECONDARY)));
        Optional<PrimaryLock> lock = PrimaryLock.tryTake(paths);
        assertTrue(lock.isPresent(), "another process can still become the primary");
        lock.get().close();
        assertEquals(Optional.empty(), RoleChoice.choose(null, paths, Set.of()), "no side installed: nothing to start");
    }

    @Test
    void aPrimaryInAnotherProcessMakesThisOneASecondaryUntilItDies() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "other");
        paths.createDirectory();
        Process holder = holdLockInAnotherProcess(paths.lock());
        try {
            assertTrue(PrimaryLock.isHeld(paths));
            assertEquals(Optional.of(Role.SECONDARY), RoleChoice.choose(null, paths, BOTH));
            assertEquals(Optional.of(Role.SECONDARY), RoleChoice.choose(null, paths, Set.of(Role.PRIMARY)),
                    "a secondary even if this process cannot start one (the channel then waits for that bundle)");
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // the kernel released the dead process's lock: the next one to decide becomes the primary
        assertEquals(Optional.of(Role.PRIMARY), RoleChoice.choose(null, paths, BOTH));
    }

    @Test
    void aPrimaryOfTheSameChannelInThisJvmCountsAsAlive() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "here");
        try (PrimaryLock held = PrimaryLock.tryTake(paths).orElseThrow()) {
            assertEquals(Optional.of(Role.SECONDARY), RoleChoice.choose(null, paths, BOTH));
        }
    }

    @Test
    void decidingInThePrimarysOwnProcessLeavesItsLockHeldAgainstOtherProcesses() throws Exception {
        // two configurations of one prefix in one process: role=primary, then role=auto deciding beside it
        SocketPaths paths = new SocketPaths(dir, "x");
        try (PrimaryLock held = PrimaryLock.tryTake(paths).orElseThrow()) {
            assertEquals(Optional.of(Role.SECONDARY), RoleChoice.choose(null, paths, BOTH));
            assertTrue(PrimaryLock.tryTake(paths).isEmpty());
            assertFalse(OtherProcessLock.canLock(paths.lock()),
                    "another process could take the lock: a second primary would replace the live socket");
        }
    }

    @Test
    void autoRefusesASocketDirectoryOfAnotherUserWithoutTouchingIt() throws Exception {
        assumeTrue(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0,
                "needs root, to give a directory to another user");
        Path squatted = Files.createDirectory(dir.resolve("squatted"));
        Files.setPosixFilePermissions(squatted, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(squatted, "unix:uid", 65534);
        SocketPaths paths = new SocketPaths(squatted, "x");
        IOException e = assertThrows(IOException.class, () -> RoleChoice.choose(null, paths, BOTH));
        assertTrue(e.getMessage().contains("owned by uid 65534"), e.getMessage());
        assertFalse(e.toString().contains("Exception"), "read as one line, not an exception: " + e);
        assertThrows(IOException.class, () -> RoleChoice.choose(Role.PRIMARY, paths, BOTH));
        assertFalse(Files.exists(paths.lock(), LinkOption.NOFOLLOW_LINKS), "nothing was created in it");
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(squatted)));
    }

    /** A separate JVM (a single-file Java program) that locks the file as a primary would, and waits. */
    private Process holdLockInAnotherProcess(Path lockFile) throws Exception {
        Path source = Files.writeString(dir.resolve("Holder.java"), String.join("\n",
                "import java.nio.channels.FileChannel;",
                "import java.nio.file.*;",
                "public class Holder {",
                "  public static void main(String[] a) throws Exception {",
                "    FileChannel f = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);",
                "    f.lock();",
                "    System.out.println(\"locked\");",
                "    Thread.sleep(120_000);",
                "  }",
                "}"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                source.toString(), lockFile.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        assertEquals("locked", out.readLine());
        return process;
    }
}
