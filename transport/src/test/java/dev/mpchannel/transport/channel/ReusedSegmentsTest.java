package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large parameters through a primary and a secondary over a real socket: with an action that reads them only while it
 * runs and a requester that closes its replies, a few segments carry every round trip; an action that keeps its
 * messages keeps their bytes, whatever is sent after them.
 */
class ReusedSegmentsTest {
    private static final FrameLimits LIMITS = new FrameLimits(4 << 20, 4, 1024); // over 1 KiB in shared memory
    private static final int SIZE = 300_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static byte[] pattern(int seed) {
        byte[] bytes = new byte[SIZE];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed * 17 + i);
        }
        return bytes;
    }

    @Test
    void roundTripsWithAScopedActionAndClosedRepliesReuseAFewSegments() throws Exception {
        try (LocalChannels channels = LocalChannels.start(dir, new Capacity(2, 1024, 4096, Duration.ofSeconds(30)),
                LIMITS, "test.*")) {
            channels.connectSecondary("test.*").actions().bind("test.echo", context -> context.message(), false, true);
            Peer secondary = channels.primary().peers().get(0);
            Set<String> before = mappedParamFiles();
            int trips = 100;
            for (int i = 0; i < trips; i++) {
                try (Replies replies = channels.primary().request(secondary, Message.of("test.echo", pattern(i)), TIMEOUT)) {
                    assertEquals(1, replies.received(), replies.toString());
                    assertArrayEquals(pattern(i), replies.replies().get(0).message().params(), "round trip " + i);
                }
            }
            Set<String> made = mappedParamFiles();
            made.removeAll(before);
            // each way: the first message in a fresh file, then segments of a pool of at most 8 (a release may come
            // after the next message); never a file per message
            assertTrue(made.size() <= 2 * (1 + 8), trips + " round trips mapped " + made.size() + " files: " + made);
            System.out.println(trips + " round trips of " + SIZE + " bytes mapped " + made.size() + " files");
        }
    }

    @Test
    void aPolledSecondaryReleasesAndReusesSegmentsToo() throws Exception {
        // one reading thread: the second secondary is read by a poller, which never blocks on a frame
        try (LocalChannels channels = LocalChannels.start(dir, new Capacity(2, 1024, 4096, Duration.ofSeconds(30), 1),
                LIMITS, "test.*")) {
            channels.connectSecondary("test.*").actions().bind("test.echo", context -> context.message(), false, true);
            channels.connectSecondary("test.*").actions().bind("test.echo", context -> context.message(), false, true);
            channels.awaitPeers(2);
            Set<String> before = mappedParamFiles();
            int trips = 50;
            for (Peer secondary : channels.primary().peers()) {
                for (int i = 0; i < trips; i++) {
                    try (Replies replies = channels.primary().request(secondary, Message.of("test.echo", pattern(i)),
                            TIMEOUT)) {
                        assertArrayEquals(pattern(i), replies.replies().get(0).message().params(), secondary + " " + i);
                    }
                }
            }
            Set<String> made = mappedParamFiles();
            made.removeAll(before);
            assertTrue(made.size() <= 2 * 2 * (1 + 8), 2 * trips + " round trips mapped " + made.size() + " files");
        }
    }

    @Test
    void anActionThatKeepsItsMessagesKeepsTheirBytes() throws Exception {
        try (LocalChannels channels = LocalChannels.start(dir, new Capacity(2, 1024, 4096, Duration.ofSeconds(30)),
                LIMITS, "test.*")) {
            List<Message> kept = new CopyOnWriteArrayList<>();
            List<ByteBuffer> views = new CopyOnWriteArrayList<>();
            channels.connectSecondary("test.*").actions().bind("test.keep", context -> {
                kept.add(context.message());
                views.add(context.message().paramsBuffer());
                return null;
            }, false);
            Peer secondary = channels.primary().peers().get(0);
            int count = 30;
            for (int i = 0; i < count; i++) {
                channels.primary().send(secondary, Message.of("test.keep", pattern(i)));
            }
            assertEquals(count, (int) Await.value(kept::size, count));
            for (int i = 0; i < count; i++) {
                assertArrayEquals(pattern(i), kept.get(i).params(), "kept message " + i);
                byte[] viewed = new byte[SIZE];
                views.get(i).duplicate().get(viewed);
                assertArrayEquals(pattern(i), viewed, "buffer taken from kept message " + i);
            }
        }
    }

    /** The inodes of the shared-parameter files this JVM maps (both sides are in it). */
    private static Set<String> mappedParamFiles() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains("mpchannel-") && line.contains(".params"))
                .map(line -> line.trim().split("\\s+")[4])
                .collect(Collectors.toSet());
    }
}
