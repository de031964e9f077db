package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.transport.socket.PrimaryLock;
import dev.mpchannel.transport.socket.SocketPaths;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** role=auto, decided against a primary lock held by a real other process. */
class RoleArbiterTest {
    @TempDir
    Path dir;

    @Test
    void withNoPrimaryAnywhereThisProcessBecomesThePrimaryWhoeverAsksFirst() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "auto");
        assertFalse(RoleArbiter.primaryElsewhere(paths), "the secondary component stays quiet");
        Optional<PrimaryLock> lock = RoleArbiter.claimPrimary(paths);
        assertTrue(lock.isPresent(), "the primary component gets the lock kept for it");
        assertFalse(RoleArbiter.primaryElsewhere(paths), "still this process's, not another's");
        lock.get().close();
    }

    @Test
    void aPrimaryInAnotherProcessMakesThisOneASecondaryUntilItDies() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "other");
        paths.createDirectory();
        Process holder = holdLockInAnotherProcess(paths.lock());
        try {
            assertTrue(RoleArbiter.primaryElsewhere(paths));
            assertTrue(RoleArbiter.claimPrimary(paths).isEmpty());
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // the kernel released the dead process's lock: the next one to ask becomes the primary
        Optional<PrimaryLock> lock = RoleArbiter.claimPrimary(paths);
        assertTrue(lock.isPresent());
        lock.get().close();
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
