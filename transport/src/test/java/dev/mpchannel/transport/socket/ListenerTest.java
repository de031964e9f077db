package dev.mpchannel.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerTest {
    @TempDir
    Path dir;

    @Test
    void closingUnderABlockedAcceptLeaksNoDescriptor() throws Exception {
        SocketPaths paths = new SocketPaths(dir, "listen");
        cycle(paths); // warm up: class loading and the native library take descriptors once
        long before = openFds();
        for (int i = 0; i < 20; i++) {
            cycle(paths);
        }
        assertEquals(before, openFds(), "descriptors open after 20 listeners were closed under a blocked accept");
    }

    @Test
    void acceptAfterCloseFails() throws Exception {
        Listener listener = Listener.bind(new SocketPaths(dir, "closed"), SocketAccess.PRIVATE);
        listener.close();
        assertThrows(IOException.class, () -> listener.accept(1, new FrameLimits(65536, 8, 65536)));
    }

    private static void cycle(SocketPaths paths) throws Exception {
        Listener listener = Listener.bind(paths, SocketAccess.PRIVATE);
        Thread acceptor = new Thread(() -> {
            try {
                listener.accept(1, new FrameLimits(65536, 8, 65536));
            } catch (IOException closed) {
                // expected: the listener is closed under it
            }
        });
        acceptor.start();
        // closed under a blocked accept, as the test says: an acceptor that had not got there would see the listener
        // closed and never call accept, and leak nothing whatever close() does
        Await.until("the acceptor blocked in accept", () -> inNativeAccept(acceptor));
        listener.close();
        acceptor.join(10_000);
    }

    /** Whether {@code thread} is inside junixsocket's native accept (blocked there, as far as Java can tell). */
    private static boolean inNativeAccept(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length > 0 && stack[0].isNativeMethod() && stack[0].getMethodName().equals("accept")
                && stack[0].getClassName().startsWith("org.newsclub.net.unix.");
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
