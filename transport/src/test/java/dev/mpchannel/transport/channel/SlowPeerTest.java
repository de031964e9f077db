package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.peer.Capacity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Peers that read slowly or not at all, as raw sockets beside real secondaries: a request to one returns at once (or
 * by its timeout), and a broadcast is held back by one at most once, for {@code write.timeout.ms}, before it is
 * dropped.
 */
class SlowPeerTest {
    @TempDir
    Path dir;

    @Test
    void requestsToAPeerWhoseSocketIsFullReturnAtOnceAndByTheirTimeout() throws Exception {
        Capacity capacity = new Capacity(2, 1024, 4096, Duration.ofSeconds(60)); // longer than any wait below
        try (LocalChannels channels = LocalChannels.start(dir, capacity, "test.*");
                AFUNIXSocket stuck = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(channels.paths().socket().toFile()))) {
            channels.awaitPeers(1);
            Peer stuckPeer = channels.primary().peers().get(0);
            List<Message> more = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                more.add(Message.of("test.fill", new byte[4000])); // 800 KB: more than the socket holds
            }
            Thread filler = new Thread(() -> {
                try {
                    channels.primary().sendAll(stuckPeer, more);
                } catch (ChannelException e) {
                    // the peer is dropped when the test closes the channel
                }
            }, "filler");
            filler.setDaemon(true);
            filler.start();
            Await.until("the filler writing into the stuck peer's socket", () -> Arrays.stream(filler.getStackTrace())
                    .anyMatch(f -> f.getClassName().startsWith("org.newsclub")) || !filler.isAlive());

            CompletableFuture<CompletionStage<Replies>> asyncCall = new CompletableFuture<>();
            Thread asker = new Thread(() -> asyncCall.complete(
                    channels.primary().requestAsync(stuckPeer, Message.of("test.ask"), Duration.ofSeconds(1))));
            asker.setDaemon(true);
            asker.start();
            Await.until("requestAsync to return (it writes off the caller's thread)", asyncCall::isDone);
            Replies async = asyncCall.get().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(Reply.Status.TIMED_OUT, async.replies().get(0).status(), async.toString());

            CompletableFuture<Object> blockingCall = new CompletableFuture<>();
            Thread blocking = new Thread(() -> {
                try {
                    blockingCall.complete(channels.primary().request(stuckPeer, Message.of("test.ask"),
                            Duration.ofSeconds(1)));
                } catch (Exception e) {
                    blockingCall.complete(e);
                }
            });
            blocking.setDaemon(true);
            blocking.start();
            Await.until("a blocking request to return by its timeout", blockingCall::isDone);
            Object outcome = blockingCall.get();
            assertTrue(outcome instanceof Replies replies
                    && replies.replies().get(0).status() == Reply.Status.TIMED_OUT, String.valueOf(outcome));
        }
    }

    @Test
    void aPeerReadingALittleAtATimeIsDroppedAndHoldsTheOthersBackOnceAtMost() throws Exception {
        Duration writeTimeout = Duration.ofSeconds(1);
        Capacity capacity = new Capacity(2, 1024, 4096, writeTimeout);
        int total = 500;
        PrintStream err = System.err;
        LogCapture log = new LogCapture(err);
        System.setErr(new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try (LocalChannels channels = LocalChannels.start(dir, capacity, "test.*");
                AFUNIXSocket slow = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(channels.paths().socket().toFile()))) {
            channels.awaitPeers(1);
            Peer slowPeer = channels.primary().peers().get(0);
            AtomicLong slowRead = new AtomicLong();
            Thread reader = new Thread(() -> readALittleAtATime(slow, slowRead, writeTimeout.toMillis() * 4 / 5),
                    "slow-reader");
            reader.setDaemon(true);
            reader.start();
            AtomicInteger healthyGot = new AtomicInteger();
            channels.connectSecondary("test.*").actions().bind("test.b", context -> {
                healthyGot.incrementAndGet();
                return null;
            }, true);
            Thread broadcaster = new Thread(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        channels.primary().send(Message.of("test.b", new byte[1000]));
                    }
                } catch (ChannelException e) {
                    throw new IllegalStateException(e);
                }
            }, "broadcaster");
            broadcaster.setDaemon(true);
            broadcaster.start();
            // unheld, the 500 go out in well under a second; the slow peer may hold them once, for about the write
            // timeout, before it is dropped: 20 s is a generous bound of that, and far less than the slow peer needs
            // to read them all (4 KiB per 800 ms)
            assertEquals(total, (int) Await.value(healthyGot::get, total, Duration.ofSeconds(20)),
                    "the healthy secondary was held back by the slow one");
            Await.until("the slow peer dropped", () -> !channels.primary().peers().contains(slowPeer));
            List<String> warnings = log.lines().filter(l -> l.contains("WARN") && l.contains(slowPeer.toString()))
                    .toList();
            assertEquals(1, warnings.size(), "one WARN line about the slow peer: " + warnings);
            assertTrue(warnings.get(0).contains("stopped reading") && warnings.get(0).contains("lost"),
                    warnings.get(0));
        } finally {
            System.setErr(err);
        }
    }

    /** What is logged (slf4j-simple writes to whatever System.err is), passed on to the real stderr too. */
    private static final class LogCapture extends OutputStream {
        private final PrintStream through;
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        LogCapture(PrintStream through) {
            this.through = through;
        }

        @Override
        public synchronized void write(int b) {
            seen.write(b);
            through.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            seen.write(b, off, len);
            through.write(b, off, len);
        }

        synchronized java.util.stream.Stream<String> lines() {
            return seen.toString(java.nio.charset.StandardCharsets.UTF_8).lines();
        }
    }

    /** Reads 4 KiB, waits, and so on until the socket ends: progress now and then, never at the others' rate. */
    private static void readALittleAtATime(AFUNIXSocket socket, AtomicLong read, long pauseMillis) {
        byte[] chunk = new byte[4096];
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(chunk)) > 0) {
                read.addAndGet(n);
                Thread.sleep(pauseMillis);
            }
        } catch (IOException | InterruptedException e) {
            // the socket was closed: the test is over
        }
    }
}
