package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.channel.peer.Handoffs;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an action does to the thread that reads its peer, over real sockets: an {@code Error} it throws, a context
 * class loader it sets, and a peer whose queue is full while an action blocks. None of it may drop the peer, leak into
 * a later reader, or hold a reader where the channel's close or the reply it waits for cannot reach it.
 */
class ReaderFaultsTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    /** One action thread, a queue of one, no ordinary actions on the reading thread: the queue fills at once. */
    private static final Capacity TIGHT = new Capacity(1, 1, 16, Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private LocalChannels channels;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (channels != null) {
            channels.close();
        }
    }

    @Test
    void anErrorFromAnActionOnTheReadingThreadIsReportedAndThePeerStays() throws Exception {
        channels = LocalChannels.start(dir, Handoffs.DEFAULT, "test.*");
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        channels.primary().actions().bind("test.broken", context -> {
            throw new NoClassDefFoundError("a class of a refreshed bundle");
        }, true);
        channels.primary().actions().bind("test.seq", context -> {
            handled.add(context.message().paramsAsString());
            return null;
        }, true);
        ChannelRuntime secondary = channels.connectSecondary();
        Peer primary = secondary.peers().get(0);
        // one write, so one read on the primary: the inline action fails amid it
        secondary.sendAll(primary, List.of(Message.of("test.broken"), Message.of("test.seq", "after")));
        assertEquals("after", handled.poll(30, TimeUnit.SECONDS), "the rest of the read is dispatched");

        Replies replies = secondary.request(primary, Message.of("test.broken"), LONG);
        assertEquals(Reply.Status.FAILED, replies.replies().get(0).status(), replies.toString());
        assertTrue(replies.replies().get(0).reason().contains("NoClassDefFoundError"), replies.toString());
        assertEquals(1, channels.primary().peers().size(), "the peer stays");
        assertEquals(2, channels.primary().status().actions().get("test.broken").errors());
    }

    @Test
    void aReaderStartedFromAnActionDoesNotKeepItsContextClassLoader() throws Exception {
        channels = LocalChannels.start(dir, Handoffs.DEFAULT, "test.*");
        ClassLoader actionsOwn = new URLClassLoader(new URL[0], null);
        AtomicReference<String> seen = new AtomicReference<>();
        ChannelRuntime secondary = channels.connectSecondary("test.*");
        secondary.actions().bind("test.echo", context -> context.message(), false);
        channels.primary().actions().bind("test.ask", context -> {
            ClassLoader before = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(actionsOwn);
            try { // the blocking request hands the reading to a new thread, started context.peer() this one
                channels.primary().request(context.peer(), Message.of("test.echo"), LONG);
            } finally {
                Thread.currentThread().setContextClassLoader(before);
            }
            return null;
        }, false);
        channels.primary().actions().bind("test.where", context -> {
            Thread here = Thread.currentThread();
            seen.set(here.getName());
            return here.getContextClassLoader() == actionsOwn ? Message.of("test.where", "the action's loader")
                    : Message.of("test.where", "another loader");
        }, false);
        Peer primary = secondary.peers().get(0);
        assertEquals(Reply.Status.REPLIED, secondary.request(primary, Message.of("test.ask"), LONG).replies().get(0)
                .status());
        // The first may still find the old reader finishing the action (its reply is written from inside it), and
        // go to the pool: asked again until it runs on the new reading thread.
        AtomicReference<Replies> where = new AtomicReference<>();
        Await.until("an action on the new reading thread", () -> {
            where.set(secondary.request(primary, Message.of("test.where"), LONG));
            return seen.get().startsWith("mpchannel-read-");
        });
        assertEquals("another loader", where.get().replies().get(0).message().paramsAsString());
    }

    @Test
    void closeEndsAReaderThatWaitsForRoomInItsPeersQueue() throws Exception {
        channels = LocalChannels.start(dir, TIGHT, Handoffs.of(50, 0), "test.*");
        CountDownLatch started = new CountDownLatch(1);
        channels.primary().actions().bind("test.block", context -> {
            started.countDown();
            release.await();
            return null;
        }, false);
        ChannelRuntime secondary = channels.connectSecondary();
        Peer primary = secondary.peers().get(0);
        secondary.send(primary, Message.of("test.block"));
        assertTrue(started.await(30, TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) { // one running, one queued, and then the queue is full
            secondary.send(primary, Message.of("test.block"));
        }
        Thread reader = awaitReaderWaitingForRoom();

        channels.primary().close();
        Await.until("the primary's reader ends with the channel, its action still blocked", () -> !reader.isAlive());
    }

    @Test
    void aRequestToAnUnboundActionIsRefusedAtOnceWhileThePeersQueueIsFull() throws Exception {
        channels = LocalChannels.start(dir, TIGHT, Handoffs.of(50, 0), "test.*");
        CountDownLatch started = new CountDownLatch(1);
        channels.primary().actions().bind("test.block", context -> {
            started.countDown();
            release.await();
            return null;
        }, false);
        ChannelRuntime secondary = channels.connectSecondary();
        Peer primary = secondary.peers().get(0);
        secondary.send(primary, Message.of("test.block"));
        assertTrue(started.await(30, TimeUnit.SECONDS));
        secondary.send(primary, Message.of("test.block")); // queued: the queue is full, the reader still reads

        CompletableFuture<Replies> refused = secondary.requestAsync(primary, Message.of("test.nothing"), LONG)
                .toCompletableFuture();
        Await.until("the refusal, answered without waiting for the queue", refused::isDone);
        assertEquals(Reply.Status.IGNORED, refused.get().replies().get(0).status(), refused.get().toString());
    }

    @Test
    void anActionAwaitingAReplyFromItsOwnPeerGetsItWhileThePeersQueueIsFull() throws Exception {
        channels = LocalChannels.start(dir, TIGHT, Handoffs.of(50, 0), "test.*");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch filled = new CountDownLatch(1);
        CompletableFuture<Replies> inner = new CompletableFuture<>();
        ChannelRuntime secondary = channels.connectSecondary("test.*");
        secondary.actions().bind("test.echo", context -> context.message(), false);
        channels.primary().actions().bind("test.ask", context -> {
            started.countDown();
            filled.await();
            inner.complete(channels.primary().request(context.peer(), Message.of("test.echo", "inner"), LONG));
            return null;
        }, false);
        channels.primary().actions().bind("test.seq", context -> null, false);
        Peer primary = secondary.peers().get(0);
        secondary.send(primary, Message.of("test.ask"));
        assertTrue(started.await(30, TimeUnit.SECONDS));
        // one queued, one more than queue.depth: the reader waits; once this side awaits a reply from the peer, its
        // queue may take queue.depth more, so the reading goes on to the reply
        for (int i = 0; i < 2; i++) {
            secondary.send(primary, Message.of("test.seq"));
        }
        awaitReaderWaitingForRoom();

        filled.countDown();
        Await.until("the reply to the action's own request is read", inner::isDone);
        assertEquals("inner", inner.get().replies().get(0).message().paramsAsString(), inner.get().toString());
    }

    /** The primary's reading thread once it waits, in the middle of dispatching a read, for room in the queue. */
    private static Thread awaitReaderWaitingForRoom() throws Exception {
        AtomicReference<Thread> found = new AtomicReference<>();
        Await.until("a reading thread waiting for room in its peer's queue", () -> {
            Optional<Thread> waiting = Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getName().startsWith("mpchannel-read-"))
                    .filter(e -> e.getKey().getState() == Thread.State.WAITING
                            || e.getKey().getState() == Thread.State.TIMED_WAITING)
                    .filter(e -> List.of(e.getValue()).stream()
                            .anyMatch(f -> f.getMethodName().equals("dispatch")))
                    .map(e -> e.getKey()).findFirst();
            waiting.ifPresent(found::set);
            return waiting.isPresent();
        });
        assertNotSame(null, found.get());
        return found.get();
    }
}
