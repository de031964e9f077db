package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.transport.channel.peer.Handoffs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordinary actions on the reading thread ({@code reader.handoff.us}), over real sockets: where they run, and that a
 * long or blocking one hands the reading on, so that the peer's frames are still read and kept in order.
 */
class ReaderHandoffTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private LocalChannels channels;

    @AfterEach
    void stop() throws Exception {
        channels.close();
    }

    @Test
    void anOrdinaryActionRunsOnTheThreadThatReadIt() throws Exception {
        channels = LocalChannels.start(dir, Handoffs.DEFAULT, "test.*");
        channels.primary().actions().bind("test.where", context -> Message.of("test.where",
                Thread.currentThread().getName()), false);
        ChannelRuntime secondary = channels.connectSecondary();
        assertTrue(ask(secondary, "test.where").startsWith("mpchannel-read-"));
    }

    @Test
    void withNoHandoffTimeEveryOrdinaryActionRunsOnTheActionThreads() throws Exception {
        channels = LocalChannels.start(dir, Handoffs.of(50, 0), "test.*");
        channels.primary().actions().bind("test.where", context -> Message.of("test.where",
                Thread.currentThread().getName()), false);
        channels.primary().actions().bind("test.quick", context -> Message.of("test.quick",
                Thread.currentThread().getName()), true);
        ChannelRuntime secondary = channels.connectSecondary();
        // the inline one first: once an action ran on the pool, the pool may still be finishing its queue
        assertTrue(ask(secondary, "test.quick").startsWith("mpchannel-read-"), "inline actions still run there");
        assertTrue(ask(secondary, "test.where").startsWith("mpchannel-action-"));
    }

    @Test
    void aBlockedActionHandsTheReadingOnAndThePeersFramesKeepTheirOrder() throws Exception {
        channels = LocalChannels.start(dir, Handoffs.of(50, 1000), "test.*");
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        channels.primary().actions().bind("test.block", context -> {
            release.await();
            handled.add("block");
            return Message.of("test.block", "released");
        }, false);
        channels.primary().actions().bind("test.seq", context -> {
            handled.add(context.message().paramsAsString());
            return null;
        }, false);
        ChannelRuntime secondary = channels.connectSecondary("test.*");
        secondary.actions().bind("test.echo", context -> context.message(), false);
        Peer primaryPeer = secondary.peers().get(0);
        CompletableFuture<Replies> blocked = secondary.requestAsync(primaryPeer, Message.of("test.block"), LONG)
                .toCompletableFuture();
        for (int i = 0; i < 5; i++) {
            secondary.send(primaryPeer, Message.of("test.seq", Integer.toString(i)));
        }
        // The primary's action holds the thread that read it; the secondary's frames are still read: here the reply
        // to the primary's own request, which only the reading of this peer can take in.
        Peer secondaryPeer = channels.primary().peers().get(0);
        Replies echoed = channels.primary().request(secondaryPeer, Message.of("test.echo", "still read"), LONG);
        assertEquals("still read", echoed.replies().get(0).message().paramsAsString());
        assertTrue(handled.isEmpty(), "the messages wait for the blocked one before them: " + handled);

        release.countDown();
        assertEquals("released", blocked.get(30, TimeUnit.SECONDS).replies().get(0).message().paramsAsString());
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(handled.poll(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of("block", "0", "1", "2", "3", "4"), order);
    }

    @Test
    void anActionThatKeepsRunningHandsTheReadingOnToo() throws Exception {
        // Busy, not waiting: it looks like a thread blocked in a system call (a write to a full socket), which is
        // handed off after 20 hand-off times. It spins until the primary has read the reply to its own request.
        channels = LocalChannels.start(dir, Handoffs.of(50, 1000), "test.*");
        CompletableFuture<Replies> own = new CompletableFuture<>();
        channels.primary().actions().bind("test.spin", context -> {
            CompletableFuture<Replies> inner = channels.primary().requestAsync(context.peer(), Message.of("test.echo", "spun"),
                    LONG).toCompletableFuture();
            while (!inner.isDone()) {
                Thread.onSpinWait(); // running all along, never parked
            }
            own.complete(inner.join());
            return Message.of("test.spin", "done");
        }, false);
        ChannelRuntime secondary = channels.connectSecondary("test.*");
        secondary.actions().bind("test.echo", context -> context.message(), false);
        assertEquals("done", ask(secondary, "test.spin"));
        assertEquals("spun", own.get(30, TimeUnit.SECONDS).replies().get(0).message().paramsAsString());
    }

    @Test
    void anActionThatAsksItsOwnPeerHandsTheReadingOnAtOnce() throws Exception {
        // A hand-off time longer than the test: only the request itself can have handed the reading on.
        channels = LocalChannels.start(dir, Handoffs.of(50, TimeUnit.MINUTES.toMicros(10)), "test.*");
        ChannelRuntime secondary = channels.connectSecondary("test.*");
        secondary.actions().bind("test.echo", context -> context.message(), false);
        channels.primary().actions().bind("test.ask", context -> {
            Replies inner = channels.primary().request(context.peer(), Message.of("test.echo", "inner"), LONG);
            return Message.of("test.ask", "asked: " + inner.replies().get(0).message().paramsAsString());
        }, false);
        for (int i = 0; i < 3; i++) { // and again on the thread that took over the reading
            assertEquals("asked: inner", ask(secondary, "test.ask"));
        }
    }

    private static String ask(ChannelRuntime from, String action) throws Exception {
        Replies replies = from.request(from.peers().get(0), Message.of(action), LONG);
        assertEquals(1, replies.received(), replies.toString());
        return replies.replies().get(0).message().paramsAsString();
    }
}
