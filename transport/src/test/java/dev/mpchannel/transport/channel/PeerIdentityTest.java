package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.channel.peer.ChannelPeer;
import dev.mpchannel.transport.socket.PeerCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link Peer} names one connection of one channel: one of another channel, or of an earlier connection, is
 * refused as {@code UNKNOWN_PEER} rather than reaching whichever process has the same id here.
 */
class PeerIdentityTest {
    @TempDir
    Path dir;

    @Test
    void aPeerOfAnotherChannelIsUnknownHereAndIdsDiffer() throws Exception {
        try (LocalChannels first = LocalChannels.start(Files.createDirectory(dir.resolve("a")), "test.*");
                LocalChannels second = LocalChannels.start(Files.createDirectory(dir.resolve("b")), "test.*")) {
            first.connectSecondary("test.*");
            AtomicInteger reached = new AtomicInteger();
            second.connectSecondary("test.*").actions().bind("test.hit", context -> {
                reached.incrementAndGet();
                return context.message();
            }, false);
            Peer ofFirst = first.primary().peers().get(0);
            Peer ofSecond = second.primary().peers().get(0);
            assertNotEquals(ofFirst.id(), ofSecond.id(), "peer ids are unique for the life of the process");
            ChannelException sent = assertThrows(ChannelException.class,
                    () -> second.primary().send(ofFirst, Message.of("test.hit")));
            assertEquals(ChannelException.Reason.UNKNOWN_PEER, sent.reason());
            ChannelException asked = assertThrows(ChannelException.class,
                    () -> second.primary().request(ofFirst, Message.of("test.hit"), Duration.ofSeconds(5)));
            assertEquals(ChannelException.Reason.UNKNOWN_PEER, asked.reason());
            assertEquals(1, second.primary().request(ofSecond, Message.of("test.hit"), Duration.ofSeconds(30))
                    .received());
            assertEquals(1, reached.get());
        }
    }

    @Test
    void aPrimaryFromAnEarlierConnectionIsUnknown() throws Exception {
        try (LocalChannels channels = LocalChannels.start(dir, "test.*")) {
            ChannelRuntime secondary = channels.connectSecondary("test.*");
            Peer primary = secondary.peers().get(0);
            // equal in every field, even its channel, but not the one the channel gave for this connection
            Peer earlier = new ChannelPeer(primary.channel(), new PeerCredentials(primary.id(), primary.role(),
                    primary.pid(), primary.uid(), primary.gid(), primary.connectedSince()));
            assertEquals(earlier, primary);
            ChannelException e = assertThrows(ChannelException.class,
                    () -> secondary.send(earlier, Message.of("test.hit")));
            assertEquals(ChannelException.Reason.UNKNOWN_PEER, e.reason());
            ChannelException async = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> secondary.requestAsync(earlier, Message.of("test.hit"), Duration.ofSeconds(5))
                            .toCompletableFuture().get()).getCause() instanceof ChannelException c ? c : null;
            assertEquals(ChannelException.Reason.UNKNOWN_PEER, async == null ? null : async.reason());
        }
    }
}
