package dev.mpchannel.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A secondary's connect attempts that fail (no primary's socket yet, or the socket a killed primary left behind)
 * close the socket each one opened: junixsocket's {@code connectTo} leaves it open, and only a garbage collection
 * closed it, so a secondary whose primary was away held one socket per attempt until the next collection.
 */
class FailedConnectTest {
    private static final FrameLimits LIMITS = new FrameLimits(65536, 8, 65536);
    private static final int ATTEMPTS = 20;
    /** Closed on the failing call itself when right; this only allows for a slow machine. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void attemptsOnAMissingSocketLeaveNoSocketOpen() throws Exception {
        Path missing = dir.resolve("missing.sock");
        assertNoSocketLeftBy(() -> StreamConnection.connect(missing, LIMITS));
    }

    @Test
    void attemptsOnTheSocketOfADeadPrimaryLeaveNoSocketOpen() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (AFUNIXServerSocket dead = AFUNIXServerSocket.newInstance()) {
            dead.setDeleteOnClose(false); // as a SIGKILLed primary leaves it: the file, nobody listening
            dead.bind(AFUNIXSocketAddress.of(stale.toFile()));
        }
        assertNoSocketLeftBy(() -> StreamConnection.connect(stale, LIMITS));
    }

    private static void assertNoSocketLeftBy(Attempt attempt) throws Exception {
        assertThrows(IOException.class, attempt::run); // warm up: classes and the native library load once
        long before = sockets();
        for (int i = 0; i < ATTEMPTS; i++) {
            assertThrows(IOException.class, attempt::run);
        }
        assertEquals(before, Await.value(FailedConnectTest::sockets, before, SETTLE),
                "sockets open in this process after " + ATTEMPTS + " failed connects");
    }

    @FunctionalInterface
    private interface Attempt {
        void run() throws IOException;
    }

    private static long sockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException closedMeanwhile) { // the listing's own descriptor, among others
                    return false;
                }
            }).count();
        }
    }
}
