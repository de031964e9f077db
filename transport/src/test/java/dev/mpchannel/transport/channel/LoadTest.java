package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Load: bounded queues, a peer that stops reading, a soak that checks nothing is lost or reordered and no descriptor
 * leaks. The soak's size is -Dsoak.messages (default 5000 per secondary each way; docs/reliability.md has a run with
 * 1,000,000).
 */
class LoadTest {
    private static final int SOAK_MESSAGES = Integer.getInteger("soak.messages", 5000);
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aPeerThatStopsReadingIsDisconnectedAndTheOthersAreServed() throws Exception {
        Capacity capacity = new Capacity(2, 1024, 4096, Duration.ofMillis(300));
        try (LocalChannels channels = LocalChannels.start(dir, capacity, "test.*");
                AFUNIXSocket stuck = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(channels.paths().socket().toFile()))) {
            channels.awaitPeers(1);
            Peer stuckPeer = channels.primary().peers().get(0);
            channels.connectSecondary("test.*").actions().bind("test.echo", context -> context.message(), false);
            byte[] big = new byte[4000];
            ChannelException e = assertThrows(ChannelException.class, () -> {
                for (int i = 0; i < 100_000; i++) { // far more than any socket buffer holds
                    channels.primary().send(stuckPeer, Message.of("test.flood", big));
                }
            });
            assertEquals(ChannelException.Reason.IO, e.reason());
            assertTrue(e.getMessage().contains("stopped reading"), e.getMessage());
            channels.awaitPeers(1);
            assertEquals(1, channels.primary().request(Message.of("test.echo"), LONG).received());
        }
    }

    @Test
    void aPeerFasterThanItsActionsIsHeldBackAndLosesNothing() throws Exception {
        Capacity capacity = new Capacity(2, 8, 4096, Duration.ofSeconds(60));
        try (LocalChannels channels = LocalChannels.start(dir, capacity, "test.*")) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            channels.primary().actions().bind("test.slow", context -> {
                entered.countDown();
                release.await();
                seen.add(Integer.parseInt(context.message().paramsAsString()));
                return null;
            }, false);
            ChannelRuntime secondary = channels.connectSecondary();
            int total = 20_000;
            AtomicInteger sent = new AtomicInteger();
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        secondary.send(Message.of("test.slow", Integer.toString(i)));
                        sent.incrementAndGet();
                    }
                } catch (ChannelException e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the action was never entered");
            // The bound means something once the sender has written more than it and the primary stopped taking:
            // its reader parked (a full queue) with sent messages unread in the socket. Without backpressure the
            // reader would catch up with the sender instead, and the bound below fails.
            Await.until("the sender held back by the primary, or the primary caught up with it", () -> {
                long in = taken(channels);
                int out = sent.get();
                return out > 10 && (in >= out || readerParked(channels));
            });
            long taken = taken(channels);
            // one handled-and-blocked, 8 queued, and what the blocked reader read at once (one buffer of frames): the
            // rest waits in the socket
            int frameBytes = (int) Frame.message(Message.of("test.slow", "0")).wireLength();
            int bound = 1 + 8 + FrameReader.BUFFER_BYTES / frameBytes;
            assertTrue(taken <= bound, "the primary took " + taken + " of " + sent.get()
                    + " messages into memory with a queue depth of 8, more than " + bound);
            release.countDown();
            sender.join(60_000);
            assertEquals(total, (int) Await.value(seen::size, total, LONG));
            for (int i = 0; i < total; i++) {
                assertEquals(i, seen.get(i));
            }
        }
    }

    private static long taken(LocalChannels channels) {
        return channels.primary().status().peers().get(0).traffic().messagesIn();
    }

    /** Whether the primary's reader of its one secondary is parked (waiting for room in the queue), not reading. */
    private static boolean readerParked(LocalChannels channels) {
        String reader = "mpchannel-read-" + channels.primary().peers().get(0);
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(reader))
                .anyMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    }

    @Test
    void manyThreadsRequestingAtOnceEachGetTheirOwnAnswers() throws Exception {
        try (LocalChannels channels = LocalChannels.start(dir, "t.*")) {
            for (int s = 0; s < 2; s++) {
                String name = "s" + s;
                channels.connectSecondary("t.*").actions().bind("t.echo",
                        context -> Message.of("t.echo", name + ":" + context.message().paramsAsString()), false);
            }
            AtomicInteger wrong = new AtomicInteger();
            List<Thread> threads = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 500; i++) {
                        String asked = thread + "/" + i;
                        try {
                            var replies = channels.primary().request(Message.of("t.echo", asked), LONG);
                            List<String> answers = replies.replies().stream()
                                    .map(r -> r.replied() ? r.message().paramsAsString() : r.status().toString())
                                    .sorted().toList();
                            if (!answers.equals(List.of("s0:" + asked, "s1:" + asked))) {
                                wrong.incrementAndGet();
                            }
                        } catch (Exception e) {
                            wrong.incrementAndGet();
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(0, wrong.get(), "requests answered with another request's answer, or not at all");
        }
    }

    @Test
    void requestsFloodingBothWaysToInlineActionsAreAllAnswered() throws Exception {
        // Inline actions write their replies from the reading threads. Without care, two sides flooding each other
        // would fill both sockets and leave each reading thread waiting for the other to read.
        try (LocalChannels channels = LocalChannels.start(dir, new Capacity(2, 100_000, 16, Duration.ofSeconds(5)), "t.*")) {
            channels.primary().actions().bind("t.echo", context -> context.message(), true);
            ChannelRuntime secondary = channels.connectSecondary("t.*");
            secondary.actions().bind("t.echo", context -> context.message(), true);
            byte[] params = new byte[2000]; // 20,000 of them far exceed what the two sockets hold
            List<java.util.concurrent.CompletableFuture<dev.mpchannel.api.Replies>> all =
                    java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            List<Thread> floods = List.of(channels.primary(), secondary).stream().map(side -> new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    all.add(side.requestAsync(Message.of("t.echo", params), LONG).toCompletableFuture());
                }
            })).toList();
            floods.forEach(Thread::start);
            for (Thread flood : floods) {
                flood.join();
            }
            long answered = 0;
            for (var replies : all) {
                answered += replies.get().received();
            }
            assertEquals(40_000, answered);
            assertEquals(1, channels.primary().peers().size(), "nobody was taken for stuck");
        }
    }

    @Test
    void moreSecondariesThanMaxPeersAreRefused() throws Exception {
        try (LocalChannels channels = LocalChannels.start(dir, new Capacity(2, 16, 2, Duration.ofSeconds(5)), "t.*")) {
            channels.connectSecondary();
            channels.connectSecondary();
            try (AFUNIXSocket third = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(channels.paths().socket().toFile()))) {
                assertEquals(-1, third.getInputStream().read(), "the primary hangs up on the third");
            }
            assertEquals(2, channels.primary().peers().size());
        }
    }

    @Test
    void manySilentConnectionsAtOnceAreBoundedByMaxPeersAndLeaveNothingBehind() throws Exception {
        try (LocalChannels channels = LocalChannels.start(dir, new Capacity(2, 16, 100, Duration.ofSeconds(5)), "t.*")) {
            long threadsBefore = readerThreads();
            long fdsBefore = openFds();
            List<AFUNIXSocket> silent = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) { // they connect and never send a byte
                    silent.add(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(channels.paths().socket().toFile())));
                }
                channels.awaitPeers(100);
                // the other 200 are accepted and refused: the primary hangs up on them
                java.util.Set<AFUNIXSocket> hungUp = new java.util.HashSet<>();
                Await.until("200 of the 300 hung up on", () -> {
                    for (AFUNIXSocket socket : silent) {
                        if (!hungUp.contains(socket) && hungUp(socket)) {
                            hungUp.add(socket);
                        }
                    }
                    return hungUp.size() >= 200;
                });
                assertEquals(200, hungUp.size());
                assertEquals(100, channels.primary().peers().size());
                // read.threads of them get a reading thread; the rest share the channel's poller
                long readers = threadsBefore + Capacity.DEFAULT_READ_THREADS;
                assertEquals(readers, Await.value(LoadTest::readerThreads, readers));
                assertEquals(100 - Capacity.DEFAULT_READ_THREADS, channels.primary().polledPeers());
            } finally {
                for (AFUNIXSocket socket : silent) {
                    socket.close();
                }
            }
            channels.awaitPeers(0);
            assertEquals(threadsBefore, Await.value(LoadTest::readerThreads, threadsBefore));
            // no more than before: one the JVM held before (another test's, found unreachable) may close meanwhile
            Await.until("no more descriptors open than the " + fdsBefore + " before", () -> openFds() <= fdsBefore);
        }
    }

    /** Whether the other side has closed {@code socket}, without waiting (beyond 1 ms) on one it has not. */
    private static boolean hungUp(AFUNIXSocket socket) throws IOException {
        socket.setSoTimeout(1);
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException open) {
            return false;
        }
    }

    private static long readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("mpchannel-read-")).count();
    }

    @Test
    void soakNothingLostOrReorderedAndNoDescriptorLeaked() throws Exception {
        try (LocalChannels channels = LocalChannels.start(dir, "soak.*")) {
            Map<Long, AtomicInteger> nextFromPeer = new ConcurrentHashMap<>();
            AtomicInteger disorder = new AtomicInteger();
            channels.primary().actions().bind("soak.up", context -> {
                int expected = nextFromPeer.computeIfAbsent(context.peer().id(), id -> new AtomicInteger()).getAndIncrement();
                if (Integer.parseInt(context.message().paramsAsString()) != expected) {
                    disorder.incrementAndGet();
                }
                context.message().fileDescriptors().forEach(dev.mpchannel.transport.wire.FileDescriptors::close);
                return null;
            }, false);
            int secondaries = 8;
            Map<Integer, AtomicInteger> downCount = new ConcurrentHashMap<>();
            for (int s = 0; s < secondaries; s++) {
                AtomicInteger next = new AtomicInteger();
                downCount.put(s, next);
                channels.connectSecondary("soak.*").actions().bind("soak.down", context -> {
                    if (Integer.parseInt(context.message().paramsAsString()) != next.getAndIncrement()) {
                        disorder.incrementAndGet();
                    }
                    context.message().fileDescriptors().forEach(dev.mpchannel.transport.wire.FileDescriptors::close);
                    return null;
                }, false);
            }
            Path file = Files.writeString(dir.resolve("fd.txt"), "x");
            long fdsBefore = openFds();
            // each way at once: every secondary sends up while the primary broadcasts down; every 10th carries an fd
            List<Thread> senders = new java.util.ArrayList<>();
            for (ChannelRuntime secondary : channels.secondaries()) {
                senders.add(new Thread(() -> sendAll(secondary, "soak.up", file)));
            }
            senders.add(new Thread(() -> sendAll(channels.primary(), "soak.down", file)));
            senders.forEach(Thread::start);
            for (Thread sender : senders) {
                sender.join();
            }
            Await.value(() -> allAt(nextFromPeer.values(), SOAK_MESSAGES, secondaries)
                    && allAt(downCount.values(), SOAK_MESSAGES, secondaries), true, Duration.ofMinutes(2));
            assertEquals(0, disorder.get(), "messages out of order");
            assertTrue(allAt(nextFromPeer.values(), SOAK_MESSAGES, secondaries), "up: " + nextFromPeer);
            assertTrue(allAt(downCount.values(), SOAK_MESSAGES, secondaries), "down: " + downCount);
            // at most as many: a descriptor an earlier test left to the garbage collector may close meanwhile
            Await.until("no more descriptors open after the soak than before (" + fdsBefore + ")",
                    () -> openFds() <= fdsBefore);
        }
    }

    private static void sendAll(ChannelRuntime from, String action, Path file) {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            for (int i = 0; i < SOAK_MESSAGES; i++) {
                Message message = Message.of(action, Integer.toString(i));
                from.send(i % 10 == 0 ? message.withFileDescriptors(in.getFD()) : message);
            }
        } catch (IOException | ChannelException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean allAt(java.util.Collection<AtomicInteger> counts, int expected, int peers) {
        return counts.size() == peers && counts.stream().allMatch(c -> c.get() == expected);
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
