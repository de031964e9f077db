package dev.mpchannel.bench.harness.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sticky leader over a real Unix domain socket, the test as its peer: every reply reaches its request and every
 * frame that no request waits for is read exactly once, in order, whether it comes while the reader reads, while a
 * caller is in a request, or while a caller keeps the reading with no request (the reader takes it back after the
 * grace). Waits for events against a deadline; asserts no time.
 */
class StickyLeaderRequesterTest {
    private static final long UNASKED = 1_000_000;
    private static final Pattern NOTE = Pattern.compile(
            "the caller read (\\d+) of (\\d+) replies while it kept the reading, (\\d+) after the reader stood aside, "
                    + "the reader handed over (\\d+); .*");

    private Path dir;
    private ServerSocketChannel server;
    private SocketChannel peer;
    private StickyLeaderRequester requester;
    private Thread echo;
    private final List<Long> unsolicited = new CopyOnWriteArrayList<>();

    @BeforeEach
    void connect() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "sticky-");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
    }

    /**
     * The requester (grace {@code graceNanos}) and the peer's echo thread: it answers request {@code seq}, and for
     * every {@code unaskedEvery}-th one writes an unasked frame {@code UNASKED + seq} just before the reply.
     */
    private void start(long graceNanos, int unaskedEvery) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
        peer = server.accept();
        requester = new StickyLeaderRequester(channel, false, graceNanos, unsolicited::add);
        echo = new Thread(() -> {
            ByteBuffer frame = ByteBuffer.allocate(EchoFrames.SIZE);
            try {
                while (EchoFrames.readFully(peer, frame)) {
                    long seq = frame.getLong(0);
                    if (seq % unaskedEvery == unaskedEvery - 1) {
                        send(UNASKED + seq);
                    }
                    frame.flip();
                    synchronized (peer) {
                        EchoFrames.writeFully(peer, frame);
                    }
                }
            } catch (IOException closed) {
                // the test ended the connection
            }
        }, "sticky-test-echo");
        echo.setDaemon(true);
        echo.start();
    }

    /** Writes a frame that no request asked for. */
    private void send(long seq) throws IOException {
        synchronized (peer) {
            EchoFrames.writeFully(peer, EchoFrames.request(ByteBuffer.allocate(EchoFrames.SIZE), seq));
        }
    }

    @AfterEach
    void close() throws Exception {
        try (ServerSocketChannel s = server; SocketChannel p = peer; StickyLeaderRequester r = requester) {
            // closed whatever the test did: the requester (its reader with it), the peer, the server
        }
        if (echo != null) {
            echo.join(5000);
        }
        Files.deleteIfExists(dir.resolve("s.sock"));
        Files.deleteIfExists(dir);
    }

    @Test
    void everyFrameIsReadOnceByWhoeverHoldsTheReading() throws Exception {
        start(TimeUnit.MILLISECONDS.toNanos(1), 2);
        List<Long> expected = new ArrayList<>();

        send(UNASKED - 1); // no request yet: the reader reads it
        expected.add(UNASKED - 1);
        await(() -> unsolicited.size() == 1, "the reader to read a frame sent before any request");

        for (long seq = 0; seq < 10; seq++) { // the odd ones find an unasked frame before their reply
            assertEquals(seq, requester.request(seq));
            if (seq % 2 == 1) {
                expected.add(UNASKED + seq);
            }
        }
        send(UNASKED - 2); // the caller keeps the reading, in no request: the reader takes it back and reads this
        expected.add(UNASKED - 2);
        await(() -> requester.takenBack() >= 1 && unsolicited.size() == expected.size(),
                "the reader to take the reading back and read a frame sent after the last request");

        for (long seq = 10; seq < 12; seq++) { // after the reading went back to the reader
            assertEquals(seq, requester.request(seq));
        }
        expected.add(UNASKED + 11);
        await(() -> unsolicited.size() >= expected.size(), "every unasked frame");
        assertEquals(expected, unsolicited);
        assertCountsAddUp(12);
    }

    @Test
    void aCallerAndTheReaderRacingForTheReadingLoseNoFrame() throws Exception {
        long grace = TimeUnit.MICROSECONDS.toNanos(20);
        start(grace, 10);
        List<Long> expected = new ArrayList<>();
        int count = 5_000;
        for (long seq = 0; seq < count; seq++) {
            assertEquals(seq, requester.request(seq));
            if (seq % 10 == 9) {
                expected.add(UNASKED + seq);
            }
            // gaps about the grace long, so that the next request and the reader's taking back meet
            long gapEnd = System.nanoTime() + (seq % 5) * grace / 2;
            while (System.nanoTime() < gapEnd) {
                Thread.onSpinWait();
            }
        }
        await(() -> unsolicited.size() >= expected.size(), "every unasked frame");
        assertEquals(expected, unsolicited);
        assertCountsAddUp(count);
    }

    /** Every request's reply was read one of the three ways, each counted once. */
    private void assertCountsAddUp(long requests) {
        Matcher m = NOTE.matcher(requester.note());
        assertTrue(m.matches(), requester.note());
        assertEquals(requests, Long.parseLong(m.group(2)), requester.note());
        assertEquals(requests, Long.parseLong(m.group(1)) + Long.parseLong(m.group(3)) + Long.parseLong(m.group(4)),
                requester.note());
        assertTrue(requester.note().endsWith("; " + unsolicited.size() + " frames no request waited for"),
                requester.note());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 10 s for " + what);
            }
            Thread.sleep(1);
        }
    }
}
