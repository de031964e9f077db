package dev.mpchannel.transport.socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One primary per prefix, judged by another process: closing any descriptor of a file drops every POSIX lock the
 * process holds on it, so a look at the lock from the process that holds it must not open a second descriptor.
 */
class PrimaryLockTest {
    @TempDir
    Path dir;

    @Test
    void peeksAndSecondTakesFromTheHoldingProcessKeepTheLockHeld() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "x");
        try (PrimaryLock held = PrimaryLock.tryTake(paths).orElseThrow()) {
            assertFalse(OtherProcessLock.canLock(paths.lock()), "the lock is held before anything else happens");
            assertTrue(PrimaryLock.isHeld(paths), "held, by this very process");
            Optional<PrimaryLock> second = PrimaryLock.tryTake(paths);
            assertTrue(second.isEmpty(), "a second primary of the same prefix in the same process is refused");
            assertFalse(OtherProcessLock.canLock(paths.lock()),
                    "after a peek and a refused take here, another process still cannot lock the file");
        }
        assertTrue(OtherProcessLock.canLock(paths.lock()), "released when its holder closes");
    }

    @Test
    void aSecondListenerRefusedInTheSameProcessLeavesTheFirstOneItsLock() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "y");
        try (Listener first = Listener.bind(paths, SocketAccess.PRIVATE)) {
            try {
                Listener.bind(paths, SocketAccess.PRIVATE).close();
                throw new AssertionError("a second primary was let listen");
            } catch (PrimaryAliveException expected) {
                // refused, as it must be
            }
            assertFalse(OtherProcessLock.canLock(paths.lock()), "the first primary still holds its lock");
        }
    }

    @Test
    void aPeekAtAFreeLockLeavesItFree() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "free");
        try (PrimaryLock taken = PrimaryLock.tryTake(paths).orElseThrow()) {
            // created the file
        }
        assertFalse(PrimaryLock.isHeld(paths));
        assertTrue(OtherProcessLock.canLock(paths.lock()));
    }
}
