package dev.mpchannel.transport.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.transport.socket.OtherProcessLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a DPDK primary holds its lock on {@code config}, told as DPDK tells it ({@code F_GETLK}): by looking, never
 * by taking a lock, which a DPDK primary starting at that moment would find taken.
 */
class ConfigLockTest {
    @TempDir
    Path dir;

    @Test
    void aLockHeldByAnotherProcessIsSeenAndAFreeFileIsNot() throws Exception {
        Path config = Files.createFile(dir.resolve("config"));
        assertFalse(ConfigLock.isHeld(config));
        assertFalse(ConfigLock.isHeld(dir.resolve("absent")), "no config file: no primary");
        Process holder = new ProcessBuilder("python3", "-c", String.join("\n",
                "import fcntl, sys, time",
                "f = open(sys.argv[1], 'r+')",
                "fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
                "print('locked', flush=True)",
                "time.sleep(120)"), config.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            assertTrue(ConfigLock.isHeld(config));
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertFalse(ConfigLock.isHeld(config), "the kernel freed the dead holder's lock");
    }

    @Test
    void lookingNeverTakesTheLockFromAPrimaryThatIsStarting() throws Exception {
        Path config = Files.createFile(dir.resolve("config"));
        AtomicBoolean looking = new AtomicBoolean(true);
        Thread peeker = new Thread(() -> {
            while (looking.get()) {
                ConfigLock.isHeld(config);
            }
        });
        peeker.start();
        try {
            // a starting primary takes its write lock without waiting (F_SETLK), as DPDK does; here, many times over
            Process starter = new ProcessBuilder("python3", "-c", String.join("\n",
                    "import fcntl, sys",
                    "f = open(sys.argv[1], 'r+')",
                    "failed = 0",
                    "for i in range(20000):",
                    "    try:",
                    "        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
                    "        fcntl.lockf(f, fcntl.LOCK_UN)",
                    "    except OSError:",
                    "        failed += 1",
                    "print(failed)"), config.toString()).redirectErrorStream(true).start();
            String failed = new String(starter.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(starter.waitFor(60, TimeUnit.SECONDS));
            assertEquals("0", failed, "times the starting primary found its lock taken by a look from this process");
        } finally {
            looking.set(false);
            peeker.join(10_000);
        }
    }

    @Test
    void lookingAtALockThisProcessHoldsKeepsItHeld() throws Exception {
        Path config = Files.createFile(dir.resolve("config"));
        try (FileChannel held = FileChannel.open(config, StandardOpenOption.WRITE)) {
            held.lock();
            assertTrue(ConfigLock.isHeld(config));
            assertFalse(OtherProcessLock.canLock(config), "a look closed a descriptor of the file and freed the lock");
        }
    }
}
