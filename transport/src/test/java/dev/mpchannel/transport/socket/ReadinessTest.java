package dev.mpchannel.transport.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * junixsocket's poll, reached through its package-private entry point: fails if junixsocket changes it (a channel
 * would then give every peer a reading thread, and say so).
 */
class ReadinessTest {

    @Test
    void junixsocketsPollIsReachable() {
        assertTrue(Readiness.available(), Readiness.why());
    }

    @Test
    void pollTellsWhichBlockingSocketsHaveSomethingToRead() throws Exception {
        AFUNIXSocketPair<AFUNIXSocketChannel> quiet = AFUNIXSocketPair.open();
        AFUNIXSocketPair<AFUNIXSocketChannel> talking = AFUNIXSocketPair.open();
        AFUNIXSocketPair<AFUNIXSocketChannel> closing = AFUNIXSocketPair.open();
        try {
            FileDescriptor[] fds = {quiet.getSocket1().socket().getFileDescriptor(),
                talking.getSocket1().socket().getFileDescriptor(), closing.getSocket1().socket().getFileDescriptor()};
            boolean[] readable = new boolean[3];
            assertEquals(0, Readiness.poll(fds, readable, 10), "nothing to read yet");
            assertArrayEquals(new boolean[] {false, false, false}, readable);

            talking.getSocket2().socket().getOutputStream().write(42);
            closing.getSocket2().close();
            assertEquals(2, Readiness.poll(fds, readable, -1));
            assertArrayEquals(new boolean[] {false, true, true}, readable, "data, and the end of the stream");
            assertTrue(quiet.getSocket1().isBlocking(), "the sockets stay blocking");
        } finally {
            for (AFUNIXSocketPair<AFUNIXSocketChannel> pair : java.util.List.of(quiet, talking, closing)) {
                pair.getSocket1().close();
                pair.getSocket2().close();
            }
        }
    }

    @Test
    void aWakeEndsTheWaitOfAPollGroup() throws Exception {
        AFUNIXSocketPair<AFUNIXSocketChannel> quiet = AFUNIXSocketPair.open();
        PollGroup group = PollGroup.open();
        try {
            FileDescriptor[] fds = {quiet.getSocket1().socket().getFileDescriptor()};
            boolean[] readable = new boolean[1];
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try {
                    group.await(fds, readable);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            group.wake();
            waiting.get(30, TimeUnit.SECONDS);
            assertArrayEquals(new boolean[] {false}, readable, "woken, with nothing to read");
        } finally {
            quiet.getSocket1().close();
            quiet.getSocket2().close();
        }
    }
}
