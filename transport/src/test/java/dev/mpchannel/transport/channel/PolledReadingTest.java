package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameCodec;
import dev.mpchannel.transport.wire.FrameLimits;
import dev.mpchannel.transport.wire.FrameReader;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Peers beyond {@code read.threads} are read by one polling thread ({@code PeerPoller}): every one is served, one
 * that stops in the middle of a frame holds up nobody, a frame larger than the read buffer goes through a reading
 * thread of its own and the peer comes back to the poller, and nothing of the poller outlives the channel.
 */
class PolledReadingTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration WRITES = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void peersBeyondTheReadingThreadsAreAllServedByOnePollingThread() throws Exception {
        Capacity oneThread = new Capacity(2, 1024, 4096, WRITES, 1);
        try (LocalChannels channels = LocalChannels.start(dir, oneThread, "test.*")) {
            channels.primary().actions().bind("test.up", context -> context.message(), false);
            int secondaries = 12;
            for (int i = 0; i < secondaries; i++) {
                channels.connectSecondary("test.*").actions().bind("test.echo", context -> context.message(), false);
            }
            assertEquals(secondaries - 1, channels.primary().polledPeers(), "peers read by the poller");
            assertEquals(1, threadsNamed("mpchannel-poll-"), "polling threads");

            for (int round = 0; round < 20; round++) {
                assertEquals(secondaries, channels.primary().request(Message.of("test.echo", "round " + round), LONG)
                        .received());
            }
            for (ChannelRuntime secondary : channels.secondaries()) {
                assertEquals("up", secondary.request(Message.of("test.up", "up"), LONG).replies().get(0).message()
                        .paramsAsString());
            }
        }
        assertEquals(0, Await.value(() -> threadsNamed("mpchannel-poll-"), 0), "polling threads after close");
    }

    @Test
    void aPeerStoppingInTheMiddleOfAFrameHoldsUpNobodyAndIsReadWhenItGoesOn() throws Exception {
        Capacity polledOnly = new Capacity(2, 1024, 4096, WRITES, 0);
        try (LocalChannels channels = LocalChannels.start(dir, polledOnly, "test.*");
                AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(channels.paths().socket().toFile()))) {
            List<String> received = new CopyOnWriteArrayList<>();
            channels.primary().actions().bind("test.note", context -> {
                received.add(context.message().paramsAsString());
                return null;
            }, false);
            channels.primary().actions().bind("test.up", context -> context.message(), false);
            channels.awaitPeers(1);
            byte[] frame = FrameCodec.encode(Frame.message(Message.of("test.note", "from the slow one")));
            OutputStream out = raw.getOutputStream();
            out.write(frame, 0, 10); // half a header, then nothing for a while

            ChannelRuntime secondary = channels.connectSecondary("test.*");
            for (int i = 0; i < 50; i++) {
                assertEquals(1, secondary.request(Message.of("test.up", "go " + i), LONG).received());
            }
            out.write(frame, 10, frame.length - 10);
            Await.until("the rest of the frame read", () -> received.contains("from the slow one"));
        }
    }

    @Test
    void aFrameLargerThanTheReadBufferIsReadWholeAndThePeerReturnsToThePoller() throws Exception {
        Capacity polledOnly = new Capacity(2, 1024, 4096, WRITES, 0);
        int large = 4 * FrameReader.BUFFER_BYTES;
        FrameLimits inlineLarge = new FrameLimits(1 << 20, 4, 1 << 20); // inline: through the socket, not memory
        try (LocalChannels channels = LocalChannels.start(dir, polledOnly, inlineLarge, "test.*")) {
            channels.primary().actions().bind("test.echo", context -> context.message(), false);
            ChannelRuntime secondary = channels.connectSecondary("test.*");
            assertEquals(1, Await.value(() -> channels.primary().polledPeers(), 1));
            byte[] params = new byte[large];
            for (int i = 0; i < params.length; i++) {
                params[i] = (byte) (i * 31);
            }
            for (int i = 0; i < 5; i++) {
                byte[] echoed = secondary.request(Message.of("test.echo", params), LONG).replies().get(0).message()
                        .params();
                assertArrayEquals(params, echoed);
                assertEquals(1, Await.value(() -> channels.primary().polledPeers(), 1), "back with the poller");
            }
        }
    }

    @Test
    void aPolledPeerThatLeavesIsGoneAndTheOthersStay() throws Exception {
        Capacity polledOnly = new Capacity(2, 1024, 4096, WRITES, 0);
        try (LocalChannels channels = LocalChannels.start(dir, polledOnly, "test.*")) {
            ChannelRuntime leaving = channels.connectSecondary("test.*");
            channels.connectSecondary("test.*").actions().bind("test.echo", context -> context.message(), false);
            assertEquals(2, channels.primary().polledPeers());
            leaving.close();
            channels.awaitPeers(1);
            assertEquals(1, Await.value(() -> channels.primary().polledPeers(), 1));
            Peer staying = channels.primary().peers().get(0);
            assertEquals(1, channels.primary().request(staying, Message.of("test.echo", "still here"), LONG)
                    .received());
        }
    }

    @Test
    void aPollerReadsAtMost64PeersAndTheNextOneStartsAnother() throws Exception {
        Capacity polledOnly = new Capacity(2, 1024, 4096, WRITES, 0);
        List<AFUNIXSocket> silent = new java.util.ArrayList<>();
        try (LocalChannels channels = LocalChannels.start(dir, polledOnly, "test.*")) {
            try {
                for (int i = 0; i < 65; i++) {
                    silent.add(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(channels.paths().socket().toFile())));
                }
                channels.awaitPeers(65);
                assertEquals(65, Await.value(() -> channels.primary().polledPeers(), 65));
                assertEquals(2, threadsNamed("mpchannel-poll-"), "polling threads for 65 peers");
                ChannelRuntime secondary = channels.connectSecondary("test.*");
                secondary.actions().bind("test.echo", context -> context.message(), false);
                Peer last = channels.primary().peers().get(65);
                assertEquals(1, channels.primary().request(last, Message.of("test.echo", "the 66th"), LONG).received());
            } finally {
                for (AFUNIXSocket socket : silent) {
                    socket.close();
                }
            }
        }
    }

    private static int threadsNamed(String prefix) {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(prefix)).count();
    }
}
