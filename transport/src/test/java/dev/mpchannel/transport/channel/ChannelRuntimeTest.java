package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Traffic;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.action.ActionRegistry;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.socket.Listener;
import dev.mpchannel.transport.socket.PrimaryAliveException;
import dev.mpchannel.transport.socket.SocketAccess;
import dev.mpchannel.transport.socket.SocketPaths;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dispatch over real Unix sockets: a primary endpoint with its listener and secondaries connected to it, all in this
 * JVM (the integration tests run them as separate processes).
 */
class ChannelRuntimeTest {
    private static final Duration LONG = Duration.ofSeconds(30); // only reached if the behaviour under test is broken

    @TempDir
    Path dir;

    private LocalChannels channels;
    private SocketPaths paths;
    private ChannelRuntime primary;
    private ActionRegistry primaryActions;
    private List<ChannelRuntime> secondaries;

    @BeforeEach
    void startPrimary() throws IOException {
        channels = LocalChannels.start(dir, "test.*");
        paths = channels.paths();
        primary = channels.primary();
        primaryActions = primary.actions();
        secondaries = channels.secondaries();
    }

    @AfterEach
    void stopAll() throws IOException {
        channels.close();
    }

    private ActionRegistry secondary(String... whitelist) throws Exception {
        return channels.connectSecondary(whitelist).actions();
    }

    private void awaitPeers(int count) throws InterruptedException {
        channels.awaitPeers(count);
    }

    @Test
    void aSecondarySendsToThePrimaryAndThePrimaryToEverySecondary() throws Exception {
        BlockingQueue<String> atPrimary = new LinkedBlockingQueue<>();
        primaryActions.bind("test.hello", context -> {
            atPrimary.add(context.message().paramsAsString() + " from " + context.peer().role() + " pid " + context.peer().pid());
            return null;
        }, false);
        BlockingQueue<String> atSecondaries = new LinkedBlockingQueue<>();
        for (int i = 0; i < 2; i++) {
            secondary("test.*").bind("test.news", context -> {
                atSecondaries.add(context.message().paramsAsString());
                return null;
            }, false);
        }
        assertEquals(1, secondaries.get(0).send(Message.of("test.hello", "hi")));
        assertEquals("hi from SECONDARY pid " + ProcessHandle.current().pid(), atPrimary.poll(30, TimeUnit.SECONDS));
        assertEquals(2, primary.send(Message.of("test.news", "extra")));
        assertEquals("extra", atSecondaries.poll(30, TimeUnit.SECONDS));
        assertEquals("extra", atSecondaries.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void aRequestFromThePrimaryIsAnsweredByEverySecondary() throws Exception {
        for (int i = 0; i < 3; i++) {
            String name = "s" + i;
            secondary("test.*").bind("test.who", context -> Message.of("test.who", name + ":" + context.message().paramsAsString()), false);
        }
        Replies replies = primary.request(Message.of("test.who", "?"), LONG);
        assertEquals(3, replies.sent());
        assertEquals(3, replies.received());
        assertEquals(List.of("s0:?", "s1:?", "s2:?"),
                replies.replies().stream().map(r -> r.message().paramsAsString()).sorted().toList());
    }

    @Test
    void aRequestToOnePeerGoesToThatPeerOnly() throws Exception {
        BlockingQueue<String> asked = new LinkedBlockingQueue<>();
        for (int i = 0; i < 2; i++) {
            String name = "s" + i;
            secondary("test.*").bind("test.who", context -> {
                asked.add(name);
                return Message.of("test.who", name);
            }, false);
        }
        Peer second = primary.peers().get(1);
        Replies replies = primary.requestAsync(second, Message.of("test.who"), LONG).toCompletableFuture().get();
        assertEquals(1, replies.sent());
        assertEquals(second, replies.replies().get(0).peer());
        assertEquals(List.of("s1"), List.copyOf(asked));
    }

    @Test
    void aRequestForAnUnknownActionIsIgnoredAtOnce() throws Exception {
        secondary("test.*");
        Replies replies = primary.request(Message.of("test.nobody"), LONG);
        Reply reply = replies.replies().get(0);
        assertEquals(Reply.Status.IGNORED, reply.status(), "answered, not timed out");
        assertTrue(reply.reason().contains("no action 'test.nobody'"), reply.reason());
        assertEquals(0, replies.received());
    }

    @Test
    void aRequestForARefusedActionIsIgnoredWithTheWhitelistKey() throws Exception {
        ActionRegistry registry = secondary("other.*");
        assertEquals(ActionRegistry.Binding.REFUSED, registry.bind("test.secret", context -> context.message(), false));
        assertTrue(registry.refusal("test.secret").contains("allowed.actions"));
        Reply reply = primary.request(Message.of("test.secret"), LONG).replies().get(0);
        assertEquals(Reply.Status.IGNORED, reply.status());
        assertTrue(reply.reason().contains("not on the whitelist (allowed.actions)"), reply.reason());
    }

    @Test
    void anActionThatThrowsFailsTheRequestWithItsError() throws Exception {
        secondary("test.*").bind("test.fail", context -> {
            throw new IllegalStateException("disk full");
        }, false);
        Reply reply = primary.request(Message.of("test.fail"), LONG).replies().get(0);
        assertEquals(Reply.Status.FAILED, reply.status());
        assertEquals("IllegalStateException: disk full", reply.reason());
    }

    @Test
    void aSecondaryThatGoesAwayStopsBeingWaitedFor() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        secondary("test.*").bind("test.hang", context -> {
            never.await();
            return null;
        }, false);
        secondary("test.*").bind("test.hang", context -> Message.of("test.hang", "quick"), false);
        var pendingReplies = primary.requestAsync(Message.of("test.hang"), LONG).toCompletableFuture();
        // the quick one's answer has reached the primary (only it sends anything) before the other goes away
        Await.until("the quick secondary's answer at the primary", () -> primary.status().peers().stream()
                .mapToLong(p -> p.traffic().messagesIn()).sum() == 1);
        secondaries.get(0).close();
        Replies replies = pendingReplies.get();
        assertEquals(2, replies.sent());
        assertEquals(1, replies.received(), "the answer that came is kept");
        assertTrue(replies.replies().stream().anyMatch(r -> r.status() == Reply.Status.PEER_GONE));
        awaitPeers(1);
        never.countDown();
    }

    @Test
    void aRequestTimesOutKeepingTheAnswersThatCame() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        secondary("test.*").bind("test.slow", context -> {
            release.await();
            return null;
        }, false);
        secondary("test.*").bind("test.slow", context -> Message.of("test.slow"), false);
        Replies replies = primary.request(Message.of("test.slow"), Duration.ofSeconds(3));
        release.countDown();
        assertEquals(2, replies.sent());
        assertEquals(1, replies.received());
        assertTrue(replies.replies().stream().anyMatch(r -> r.status() == Reply.Status.TIMED_OUT));
    }

    @Test
    void aFileDescriptorCrossesAndItsContentIsReadOnTheOtherSide() throws Exception {
        BlockingQueue<String> read = new LinkedBlockingQueue<>();
        secondary("test.*").bind("test.read", context -> {
            try (FileInputStream in = new FileInputStream(context.message().fileDescriptors().get(0))) {
                read.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return null;
        }, false);
        Path file = Files.writeString(dir.resolve("shared.txt"), "through the descriptor");
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            primary.send(Message.of("test.read").withFileDescriptors(in.getFD()));
        }
        assertEquals("through the descriptor", read.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void aFileDescriptorCrossesFromASecondaryToThePrimary() throws Exception {
        BlockingQueue<String> read = new LinkedBlockingQueue<>();
        primaryActions.bind("test.read", context -> {
            try (FileInputStream in = new FileInputStream(context.message().fileDescriptors().get(0))) {
                read.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return null;
        }, false);
        secondary("test.*");
        Path file = Files.writeString(dir.resolve("up.txt"), "up the channel");
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            secondaries.get(0).send(Message.of("test.read").withFileDescriptors(in.getFD()));
        }
        assertEquals("up the channel", read.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void aReceivedDescriptorStaysOpenAfterItsSenderIsGone() throws Exception {
        BlockingQueue<java.io.FileDescriptor> kept = new LinkedBlockingQueue<>();
        primaryActions.bind("test.keep", context -> {
            kept.add(context.takeFileDescriptors().get(0));
            return null;
        }, false);
        secondary("test.*");
        Path file = Files.writeString(dir.resolve("kept.txt"), "still readable");
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            secondaries.get(0).send(Message.of("test.keep").withFileDescriptors(in.getFD()));
        }
        java.io.FileDescriptor fd = kept.poll(30, TimeUnit.SECONDS);
        secondaries.get(0).close();
        awaitPeers(0);
        System.gc();
        try (FileInputStream in = new FileInputStream(fd)) {
            assertEquals("still readable", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void largeParametersTravelInSharedMemoryAndLeaveNothingBehind() throws Exception {
        try (LocalChannels big = LocalChannels.start(dir.resolve("big"), new Capacity(2, 16, 16, Duration.ofSeconds(30)),
                new dev.mpchannel.transport.wire.FrameLimits(16 << 20, 4, 64 << 10), "big.*")) {
            ChannelRuntime secondary = big.connectSecondary("big.*");
            secondary.actions().bind("big.sum", context -> {
                java.nio.ByteBuffer params = context.message().paramsBuffer();
                long sum = 0;
                while (params.hasRemaining()) {
                    sum += params.get();
                }
                return Message.of("big.sum", context.message().paramsLength() + ":" + sum + ":" + params.isDirect());
            }, false);
            byte[] params = new byte[3 << 20];
            new java.util.Random(7).nextBytes(params);
            long sum = 0;
            for (byte b : params) {
                sum += b;
            }
            long shmBefore = shmFiles();
            Replies replies = big.primary().request(Message.of("big.sum", params), LONG);
            assertEquals(params.length + ":" + sum + ":true", replies.replies().get(0).message().paramsAsString(),
                    "3 MiB arrived intact, mapped rather than copied onto the heap");
            assertEquals(shmBefore, shmFiles(), "no file left in /dev/shm");
            // shared parameters and the message's own descriptor together: each goes where it belongs
            Path file = Files.writeString(dir.resolve("with-big.txt"), "the message's own");
            secondary.actions().bind("big.both", context -> {
                try (FileInputStream in = new FileInputStream(context.message().fileDescriptors().get(0))) {
                    return Message.of("big.both", context.message().paramsLength() + ":" + context.message().fileDescriptors().size() + ":"
                            + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }, false);
            try (FileInputStream in = new FileInputStream(file.toFile())) {
                Replies both = big.primary().request(Message.of("big.both", params).withFileDescriptors(in.getFD()), LONG);
                assertEquals(params.length + ":1:the message's own", both.replies().get(0).message().paramsAsString());
            }
            // an inline-sized message still goes inline
            assertEquals("5:" + "hello".chars().sum() + ":false",
                    big.primary().request(Message.of("big.sum", "hello"), LONG).replies().get(0).message().paramsAsString());
        }
    }

    private static long shmFiles() throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("mpchannel-")).count();
        }
    }

    @Test
    void anInlineActionRunsOnTheReadingThreadWithoutJumpingTheQueue() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        primaryActions.bind("test.slow", context -> {
            // busy until the primary has read what the secondary sent after the quick request: the quick one has
            // then been routed while this ran, and must have been queued behind it rather than run at once
            Await.until("test.mark read by the primary", () -> {
                Traffic mark = primary.status().actions().get("test.mark");
                return mark != null && mark.messagesIn() == 1;
            });
            seen.add("slow");
            return null;
        }, false);
        primaryActions.bind("test.mark", context -> null, false);
        primaryActions.bind("test.quick", context -> {
            seen.add("quick on " + Thread.currentThread().getName().replaceAll("#\\d+\\(.*", "")); // ids are the process's
            return Message.of("test.quick", Thread.currentThread().getName());
        }, true);
        secondary("test.*");
        ChannelRuntime secondary = secondaries.get(0);
        // alone, it runs on the primary's reading thread
        String thread = secondary.request(Message.of("test.quick"), LONG).replies().get(0).message().paramsAsString();
        assertTrue(thread.startsWith("mpchannel-read-"), thread);
        // behind a queued message, it waits its turn on the pool
        secondary.send(Message.of("test.slow"));
        var quick = secondary.requestAsync(Message.of("test.quick"), LONG).toCompletableFuture();
        secondary.send(Message.of("test.mark"));
        quick.get();
        assertEquals(List.of("quick on mpchannel-read-secondary", "slow", "quick on mpchannel-action-test-1"), seen);
    }

    @Test
    void theMostDescriptorsAFrameMayCarryAllArrive() throws Exception {
        int most = dev.mpchannel.transport.wire.FrameLimits.MAX_RECEIVABLE_FDS;
        try (LocalChannels many = LocalChannels.start(dir.resolve("many"), new Capacity(2, 16, 16, Duration.ofSeconds(30)),
                new dev.mpchannel.transport.wire.FrameLimits(4096, most, 4096), "t.*")) {
            BlockingQueue<Integer> arrived = new LinkedBlockingQueue<>();
            many.primary().actions().bind("t.fds", context -> {
                arrived.add(context.message().fileDescriptors().size());
                context.message().fileDescriptors().forEach(dev.mpchannel.transport.wire.FileDescriptors::close);
                return null;
            }, false);
            ChannelRuntime secondary = many.connectSecondary();
            List<FileInputStream> files = new java.util.ArrayList<>();
            try {
                List<java.io.FileDescriptor> fds = new java.util.ArrayList<>();
                for (int i = 0; i < most; i++) {
                    files.add(new FileInputStream("/dev/null"));
                    fds.add(files.get(i).getFD());
                }
                secondary.send(Message.of("t.fds").withFileDescriptors(fds));
                assertEquals(most, arrived.poll(30, TimeUnit.SECONDS));
            } finally {
                for (FileInputStream in : files) {
                    in.close();
                }
            }
        }
        // one more is refused when configured, not lost on the way
        assertThrows(IllegalArgumentException.class, () -> new dev.mpchannel.transport.wire.FrameLimits(4096, most + 1, 4096));
    }

    @Test
    void messagesFromOnePeerAreHandledInOrder() throws Exception {
        BlockingQueue<Integer> seen = new LinkedBlockingQueue<>();
        primaryActions.bind("test.seq", context -> {
            seen.add(Integer.parseInt(context.message().paramsAsString()));
            return null;
        }, false);
        secondary("test.*");
        for (int i = 0; i < 2000; i++) {
            secondaries.get(0).send(Message.of("test.seq", Integer.toString(i)));
        }
        for (int i = 0; i < 2000; i++) {
            assertEquals(i, seen.poll(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void anActionMayRequestFromInsideAnAction() throws Exception {
        primaryActions.bind("test.inner", context -> Message.of("test.inner", "inner"), false);
        ActionRegistry registry = secondary("test.*");
        ChannelRuntime secondary = secondaries.get(0);
        registry.bind("test.outer", context -> secondary.request(Message.of("test.inner"), LONG).replies().get(0).message(), false);
        assertEquals("inner", primary.request(Message.of("test.outer"), LONG).replies().get(0).message().paramsAsString());
    }

    @Test
    void unregisteringAnActionTakesEffectAtOnce() throws Exception {
        Action echo = context -> context.message();
        ActionRegistry registry = secondary("test.*");
        registry.bind("test.echo", echo, false);
        assertEquals(Reply.Status.REPLIED, primary.request(Message.of("test.echo"), LONG).replies().get(0).status());
        registry.unbind("test.echo", echo);
        assertEquals(Reply.Status.IGNORED, primary.request(Message.of("test.echo"), LONG).replies().get(0).status());
    }

    @Test
    void statusCountsTrafficPerPeerAndPerAction() throws Exception {
        secondary("test.*").bind("test.echo", context -> context.message(), false);
        primary.request(Message.of("test.echo", "12345"), LONG);
        primary.request(Message.of("test.nobody"), LONG);
        ChannelStatus status = primary.status();
        assertEquals(ChannelStatus.State.LISTENING, status.state());
        assertEquals(paths.socket().toString(), status.socketPath());
        Traffic peer = status.peers().get(0).traffic();
        assertEquals(2, peer.messagesOut());
        assertEquals(2, peer.messagesIn());
        assertEquals(1, peer.ignored());
        Traffic echo = status.actions().get("test.echo");
        assertEquals(1, echo.messagesOut());
        assertEquals(1, echo.messagesIn());
        assertEquals(2 * (20 + "test.echo".length() + 5), echo.bytesOut() + echo.bytesIn());
        assertEquals(1, status.actions().get("test.nobody").ignored());
        assertEquals(ChannelStatus.State.CONNECTED, secondaries.get(0).status().state());
        assertEquals(java.util.Set.of("test.echo"), secondaries.get(0).status().boundActions());
    }

    @Test
    void everyPeerThePrimaryListsIsOneItsSendsReach() throws Exception {
        // while secondaries join, a checker asks for the peers and sends to all at once after: a send must reach at
        // least as many as were listed just before it (peers only join here)
        java.util.concurrent.atomic.AtomicReference<String> broken = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean joining = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread checker = new Thread(() -> {
            while (joining.get() && broken.get() == null) {
                int listed = primary.peers().size();
                try {
                    int reached = primary.send(Message.of("test.unheard"));
                    if (reached < listed) {
                        broken.set("peers() listed " + listed + ", the send right after reached " + reached);
                    }
                } catch (ChannelException e) {
                    broken.set(e.toString());
                }
            }
        }, "test-checker");
        checker.start();
        try {
            for (int i = 0; i < 60 && broken.get() == null; i++) {
                channels.connectSecondary("test.*");
            }
        } finally {
            joining.set(false);
            checker.join();
        }
        assertEquals(null, broken.get());
    }

    @Test
    void timeoutsAreCounted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        secondary("test.*").bind("test.slow", context -> {
            release.await();
            return null;
        }, false);
        primary.request(Message.of("test.slow"), Duration.ofMillis(200));
        release.countDown();
        assertEquals(1, primary.status().actions().get("test.slow").timeouts());
        assertEquals(1, primary.status().peers().get(0).traffic().timeouts());
    }

    @Test
    void limitsAreCheckedBeforeSending() throws Exception {
        secondary("test.*");
        ChannelException e = assertThrows(ChannelException.class,
                () -> primary.send(Message.of("test.x", new byte[4097])));
        assertEquals(ChannelException.Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("max.message.bytes"));
    }

    @Test
    void aSecondaryWithoutAPrimarySaysSo() {
        ChannelRuntime alone = channels.unconnectedSecondary();
        assertEquals(ChannelException.Reason.NOT_CONNECTED,
                assertThrows(ChannelException.class, () -> alone.send(Message.of("x"))).reason());
        assertTrue(alone.requestAsync(Message.of("x"), LONG).toCompletableFuture().isCompletedExceptionally());
    }

    @Test
    void aSecondPrimaryForTheSameChannelIsRefusedAndTheSocketStays() {
        PrimaryAliveException e = assertThrows(PrimaryAliveException.class, () -> Listener.bind(paths, SocketAccess.PRIVATE));
        assertTrue(e.getMessage().contains("already running"));
        assertTrue(Files.exists(paths.socket()));
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        SocketPaths other = new SocketPaths(dir, "stale");
        // left behind by a primary that died: a socket of this user, closed without being unlinked
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)
                .bind(java.net.UnixDomainSocketAddress.of(other.socket())).close();
        try (Listener replacement = Listener.bind(other, SocketAccess.PRIVATE)) {
            assertTrue(Files.exists(other.socket()));
            assertFalse(Files.isRegularFile(other.socket()), "replaced by a socket");
        }
    }

    @Test
    void aPeerThatBreaksTheProtocolIsDroppedAndTheOthersGoOn() throws Exception {
        secondary("test.*").bind("test.echo", context -> context.message(), false);
        try (var raw = org.newsclub.net.unix.AFUNIXSocket.connectTo(
                org.newsclub.net.unix.AFUNIXSocketAddress.of(paths.socket().toFile()))) {
            awaitPeers(2);
            raw.getOutputStream().write("garbage that is not a frame".getBytes(StandardCharsets.UTF_8));
            awaitPeers(1);
        }
        assertEquals(1, primary.request(Message.of("test.echo"), LONG).received());
    }
}
