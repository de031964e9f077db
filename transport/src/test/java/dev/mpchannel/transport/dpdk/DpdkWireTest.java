package dev.mpchannel.transport.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.ChannelRuntime;
import dev.mpchannel.transport.channel.Connector;
import dev.mpchannel.transport.channel.action.ActionRegistry;
import dev.mpchannel.transport.channel.action.Whitelist;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.channel.peer.Handoffs;
import dev.mpchannel.transport.channel.peer.PeerPolicy;
import dev.mpchannel.transport.config.ChannelSettings;
import dev.mpchannel.transport.socket.SocketAccess;
import dev.mpchannel.transport.socket.SocketPaths;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java secondary on DPDK's wire against a real DPDK 22.11 primary in another process (no hugepages): requests,
 * replies, messages, "ignore" answers and descriptors both ways, DPDK's own vdev scan, and a primary killed and
 * restarted. Skipped without libdpdk, unless -Ddpdk.required=true (CI).
 */
class DpdkWireTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private DpdkPrimaryProcess primary;
    private ChannelRuntime channel;
    private Connector connector;
    private String filePrefix;
    private final BlockingQueue<String> notes = new LinkedBlockingQueue<>();

    @BeforeEach
    void joinADpdkPrimary() throws Exception {
        Path binary = DpdkPrimaryProcess.binary();
        filePrefix = "mpct" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 28);
        primary = DpdkPrimaryProcess.start(binary, filePrefix);
        ChannelSettings settings = new ChannelSettings(Role.SECONDARY, new SocketPaths(dir, "dpdk"),
                Whitelist.of("java.*"), new FrameLimits(DpdkLayout.MAX_PARAM_BYTES, 8, DpdkLayout.MAX_PARAM_BYTES),
                new Capacity(2, 1024, 16, Duration.ofSeconds(5)), SocketAccess.PRIVATE,
                PeerPolicy.ownUserOnly(), ChannelSettings.PrimaryLoss.RECONNECT,
                new DpdkWire(DpdkPaths.of("", filePrefix, DpdkPrimaryProcess.uid()), DpdkLayout.V22_11),
                Handoffs.DEFAULT);
        ActionRegistry actions = new ActionRegistry(settings.whitelist());
        actions.bind("java.echo", context -> Message.of("java.echo", "java pid " + ProcessHandle.current().pid()
                + " echoes '" + context.message().paramsAsString() + "'"), false);
        actions.bind("java.note", context -> {
            notes.add(context.message().paramsAsString());
            return null;
        }, false);
        channel = new ChannelRuntime(settings, actions);
        connector = Connector.start(settings, channel);
        Await.until("joined the DPDK primary", () -> channel.peers().size() == 1);
    }

    @AfterEach
    void stop() throws Exception {
        if (connector != null) {
            connector.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void theDpdkPrimaryRequestsAJavaActionAndGetsItsReply() throws Exception {
        primary.command("request java.echo hello from C");
        assertEquals("REPLY sent=1 received=1", primary.next("REPLY").replaceAll(" ms=.*", ""));
        assertEquals("MSG java.echo fds=0 java pid " + ProcessHandle.current().pid() + " echoes 'hello from C'",
                primary.next("MSG"));
    }

    @Test
    void theSecondaryKnowsThePrimaryByItsPid() {
        assertEquals(primary.pid(), channel.peers().get(0).pid());
        assertEquals(Role.PRIMARY, channel.peers().get(0).role());
    }

    @Test
    void javaRequestsADpdkActionWithADescriptorAndReadsTheOneThatComesBack() throws Exception {
        Path file = Files.writeString(dir.resolve("to-dpdk.txt"), "written by java");
        Replies replies;
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            replies = channel.request(Message.of("dpdk.fd").withFileDescriptors(in.getFD()), LONG);
        }
        assertEquals(1, replies.received(), replies.toString());
        Message reply = replies.replies().get(0).message();
        assertEquals("read 'written by java'", reply.paramsAsString());
        assertEquals(1, reply.fileDescriptors().size());
        FileDescriptor fd = reply.fileDescriptors().get(0);
        try (FileInputStream in = new FileInputStream(fd)) {
            assertEquals("from dpdk pid " + primary.pid(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theLayoutsMostDescriptorsGoEachWay() throws Exception {
        int most = DpdkLayout.V22_11.maxFds();
        Path file = Files.writeString(dir.resolve("many-to-dpdk.txt"), "one of many");
        java.util.List<FileInputStream> sent = new java.util.ArrayList<>();
        Replies replies;
        try {
            for (int i = 0; i < most; i++) {
                sent.add(new FileInputStream(file.toFile()));
            }
            java.util.List<FileDescriptor> fds = new java.util.ArrayList<>();
            for (FileInputStream in : sent) {
                fds.add(in.getFD());
            }
            replies = channel.request(Message.of("dpdk.fds").withFileDescriptors(fds), LONG);
        } finally {
            for (FileInputStream in : sent) {
                in.close();
            }
        }
        assertEquals(1, replies.received(), replies.toString());
        Message reply = replies.replies().get(0).message();
        assertEquals("read " + most + ", " + most + " alike: 'one of many'", reply.paramsAsString());
        assertEquals(most, reply.fileDescriptors().size());
        for (FileDescriptor fd : reply.fileDescriptors()) {
            try (FileInputStream in = new FileInputStream(fd)) {
                assertEquals("from dpdk pid " + primary.pid(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aDpdkBroadcastMessageReachesAJavaAction() throws Exception {
        primary.command("send java.note hi from dpdk");
        assertEquals("SENT rc=0", primary.next("SENT"));
        assertEquals("hi from dpdk", notes.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void javaSendsAMessageToADpdkAction() throws Exception {
        assertEquals(1, channel.send(Message.of("dpdk.note", "hi from java")));
        assertEquals("NOTE hi from java", primary.next("NOTE"));
    }

    @Test
    void aDpdkRequestForAnActionJavaLacksIsAnsweredAtOnce() throws Exception {
        primary.command("request java.nobody");
        String reply = primary.next("REPLY");
        // MP_IGN takes this peer out of the count; without it DPDK would fail with rc=-1 after its 5 s timeout
        assertTrue(reply.startsWith("REPLY sent=0 received=0 "), reply);
        System.out.println("FIGURE dpdk-request-for-unknown-java-action " + reply);
    }

    @Test
    void dpdksOwnVdevScanAnswersJava() throws Exception {
        ByteBuffer scan = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder()).putInt(0, 1); // type 1: scan request
        Replies replies = channel.request(Message.of("bus_vdev_mp", scan.array()), LONG);
        assertEquals(1, replies.received(), replies.toString());
        ByteBuffer reply = replies.replies().get(0).message().paramsBuffer().order(ByteOrder.nativeOrder());
        assertEquals(3, reply.getInt(0), "type 3: scan reply");
        assertEquals(1, reply.getInt(4), "one vdev: net_null0");
    }

    @Test
    void aSecondRequestForOneNameWaitsForTheFirstsAnswerAndALateAnswerIsNeverTakenForItsReply() throws Exception {
        var joined = channel.peers().get(0);
        Reply late = channel.request(Message.of("dpdk.slow"), Duration.ofMillis(200)).replies().get(0);
        assertEquals(Reply.Status.TIMED_OUT, late.status());
        ChannelException busy = assertThrows(ChannelException.class,
                () -> channel.request(Message.of("dpdk.slow"), LONG));
        assertTrue(busy.getMessage().contains("still unanswered"), busy.getMessage());
        assertEquals(ChannelException.Reason.BUSY, busy.reason());
        // dpdk.slow answers only when released: "slow #1" comes (and is dropped) after this, not after a guessed time;
        // the second release is for the request that gets through once the name is free
        primary.command("release");
        assertEquals("RELEASED", primary.next("RELEASED"));
        primary.command("release");
        assertEquals("RELEASED", primary.next("RELEASED"));
        Replies next = null;
        long deadline = System.nanoTime() + LONG.toNanos();
        while (next == null && System.nanoTime() < deadline) {
            try {
                next = channel.request(Message.of("dpdk.slow"), LONG);
            } catch (ChannelException stillBusy) {
                Thread.sleep(50);
            }
        }
        assertTrue(next != null, "the name never became free");
        assertEquals("slow #2", next.replies().get(0).message().paramsAsString());
        assertEquals(java.util.List.of(joined), channel.peers(), "all on one connection: a refused request drops nothing");
    }

    @Test
    void whatDpdkWouldRefuseIsRefusedBeforeSending() {
        ChannelException large = assertThrows(ChannelException.class,
                () -> channel.send(Message.of("dpdk.note", new byte[257])));
        assertEquals(ChannelException.Reason.TOO_LARGE, large.reason());
        assertTrue(large.getMessage().contains("256"), large.getMessage());
        ChannelException name = assertThrows(ChannelException.class,
                () -> channel.send(Message.of("d".repeat(64))));
        assertEquals(ChannelException.Reason.TOO_LARGE, name.reason());
    }

    @Test
    void aKilledPrimaryIsNoticedAndARestartedOneJoined() throws Exception {
        long first = primary.pid();
        primary.kill();
        Await.until("the killed primary noticed", () -> channel.peers().isEmpty());
        primary.close();
        primary = DpdkPrimaryProcess.start(DpdkPrimaryProcess.binary(), filePrefix);
        Await.until("the restarted primary joined", () -> channel.peers().size() == 1);
        assertTrue(channel.peers().get(0).pid() != first);
        Replies replies = channel.request(Message.of("dpdk.echo", "again"), LONG);
        assertEquals("dpdk pid " + primary.pid() + " echoes 'again'",
                replies.replies().get(0).message().paramsAsString());
    }
}
