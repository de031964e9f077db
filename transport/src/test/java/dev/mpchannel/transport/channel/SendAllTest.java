package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Traffic;
import dev.mpchannel.transport.channel.action.TrafficSnapshot;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sendAll}: many messages in one call, over real Unix sockets, each handled as if sent alone. */
class SendAllTest {
    @TempDir
    Path dir;

    private LocalChannels channels;
    private final BlockingQueue<String> atPrimary = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws IOException {
        channels = LocalChannels.start(dir, "test.*");
        channels.primary().actions().bind("test.seq", context -> {
            String fd = "";
            if (!context.message().fileDescriptors().isEmpty()) {
                try (FileInputStream in = new FileInputStream(context.message().fileDescriptors().get(0))) {
                    fd = " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            atPrimary.add(context.message().paramsAsString() + fd);
            return null;
        }, false);
    }

    @AfterEach
    void stop() throws IOException {
        channels.close();
    }

    @Test
    void everyMessageArrivesInOrderWithItsDescriptors() throws Exception {
        ChannelRuntime secondary = channels.connectSecondary("test.*");
        List<Message> messages = new ArrayList<>();
        List<FileInputStream> files = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Message message = Message.of("test.seq", Integer.toString(i));
            if (i % 100 == 50) {
                FileInputStream file = new FileInputStream(Files.writeString(dir.resolve("f" + i), "fd" + i).toFile());
                files.add(file);
                message = message.withFileDescriptors(file.getFD());
            }
            messages.add(message);
        }
        assertEquals(1, secondary.sendAll(messages));
        for (FileInputStream file : files) {
            file.close();
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(i + (i % 100 == 50 ? " fd" + i : ""), atPrimary.poll(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aBatchOfSeveralActionsIsCountedPerActionOnBothSides() throws Exception {
        channels.primary().actions().bind("test.other", context -> null, false);
        ChannelRuntime secondary = channels.connectSecondary("test.*");
        try (FileInputStream file = new FileInputStream(Files.writeString(dir.resolve("f"), "x").toFile())) {
            // runs of one action, a lone one between them, and a descriptor in the middle of a run
            List<Message> messages = List.of(Message.of("test.seq", "a"), Message.of("test.seq", "bb"),
                    Message.of("test.other", "ccc"), Message.of("test.seq", "d").withFileDescriptors(file.getFD()),
                    Message.of("test.seq", "e"), Message.of("test.other", "ff"));
            secondary.sendAll(messages);
        }
        for (int i = 0; i < 4; i++) {
            assertTrue(atPrimary.poll(30, TimeUnit.SECONDS) != null, "test.seq message " + i);
        }
        int header = 20;
        Traffic seq = awaitTraffic(channels.primary(), "test.seq", 4);
        assertEquals(4, seq.messagesIn());
        assertEquals(4 * (header + "test.seq".length()) + 5, seq.bytesIn());
        assertEquals(1, seq.fdsIn());
        Traffic other = awaitTraffic(channels.primary(), "test.other", 2);
        assertEquals(2 * (header + "test.other".length()) + 5, other.bytesIn());
        assertEquals(0, other.fdsIn());
        Traffic sentSeq = secondary.status().actions().get("test.seq");
        assertEquals(4, sentSeq.messagesOut());
        assertEquals(seq.bytesIn(), sentSeq.bytesOut());
        assertEquals(1, sentSeq.fdsOut());
        assertEquals(2, secondary.status().actions().get("test.other").messagesOut());
        Traffic peer = secondary.status().peers().get(0).traffic();
        assertEquals(6, peer.messagesOut());
        assertEquals(seq.bytesIn() + other.bytesIn(), peer.bytesOut());
    }

    /** The traffic counted for an action once {@code messages} of it have come in (counting follows the read). */
    private static Traffic awaitTraffic(ChannelRuntime channel, String action, long messages)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Traffic traffic = channel.status().actions().getOrDefault(action, TrafficSnapshot.NONE);
        while (traffic.messagesIn() < messages && System.nanoTime() < deadline) {
            Thread.sleep(10);
            traffic = channel.status().actions().getOrDefault(action, TrafficSnapshot.NONE);
        }
        return traffic;
    }

    @Test
    void theBatchIsCheckedWholeBeforeAnyMessageIsWritten() throws Exception {
        ChannelRuntime secondary = channels.connectSecondary("test.*");
        List<Message> messages = List.of(Message.of("test.seq", "first"),
                Message.of("test.seq", new byte[LocalChannels.LIMITS.maxParamsBytes() + 1]));
        ChannelException refused = assertThrows(ChannelException.class, () -> secondary.sendAll(messages));
        assertEquals(ChannelException.Reason.TOO_LARGE, refused.reason());
        secondary.send(Message.of("test.seq", "after"));
        assertEquals("after", atPrimary.poll(30, TimeUnit.SECONDS), "the first message of the refused batch was sent");
    }

    @Test
    void thePrimarySendsTheBatchToEverySecondary() throws Exception {
        BlockingQueue<String> atSecondaries = new LinkedBlockingQueue<>();
        for (int s = 0; s < 2; s++) {
            String name = "s" + s;
            channels.connectSecondary("test.*").actions().bind("test.news", context -> {
                atSecondaries.add(name + ":" + context.message().paramsAsString());
                return null;
            }, true);
        }
        channels.awaitPeers(2);
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            messages.add(Message.of("test.news", Integer.toString(i)));
        }
        assertEquals(2, channels.primary().sendAll(messages));
        List<String> got = new ArrayList<>();
        while (got.size() < 100) {
            String next = atSecondaries.poll(30, TimeUnit.SECONDS);
            assertTrue(next != null, "only " + got.size() + " of 100 arrived");
            got.add(next);
        }
        for (String secondary : List.of("s0", "s1")) {
            List<String> theirs = got.stream().filter(g -> g.startsWith(secondary + ":")).toList();
            assertEquals(50, theirs.size());
            for (int i = 0; i < 50; i++) {
                assertEquals(secondary + ":" + i, theirs.get(i));
            }
        }
        assertEquals(0, channels.primary().sendAll(List.of()));
    }
}
