package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpchannel.api.Message;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.OpenDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameCodec;
import dev.mpchannel.transport.wire.FrameKind;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Malformed input written as raw bytes (and descriptors) on a real socket: the offending peer is disconnected, a good
 * secondary next to it goes on being served, and every descriptor the primary received from the offender is closed.
 */
class BadPeerTest {
    @TempDir
    Path dir;

    private LocalChannels channels;

    @BeforeEach
    void start() throws Exception {
        channels = LocalChannels.start(dir, "test.*");
        channels.connectSecondary("test.*").actions().bind("test.echo", context -> context.message(), false);
    }

    @AfterEach
    void stop() throws IOException {
        channels.close();
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                bad("unsupported version", 0, changed(b -> b.put(2, (byte) 2))),
                bad("unknown kind", 0, changed(b -> b.put(3, (byte) 9))),
                bad("empty name", 0, changed(b -> b.put(4, (byte) 0))),
                bad("parameters over the limit", 0, changed(b -> b.putInt(16, 5000))),
                bad("more fds declared than the limit", 0, changed(b -> b.put(5, (byte) 5))),
                bad("unknown flags", 0, changed(b -> b.putShort(6, (short) 6))),
                bad("shared parameters without a descriptor", 0, sharedFrame()),
                bad("shared parameters in a file shorter than declared", 1, sharedFrame()),
                bad("message with a request id", 0, changed(b -> b.putLong(8, 3))),
                bad("name not UTF-8", 0, changed(b -> b.put(20, (byte) 0xFF))),
                bad("truncated header", 0, Arrays.copyOf(valid(0), 10)),
                bad("truncated parameters", 0, Arrays.copyOf(valid(0), valid(0).length - 3)),
                bad("more fds than declared", 2, valid(1)),
                bad("fewer fds than declared", 1, valid(2)),
                bad("fds with a lone byte and no frame", 1, new byte[] {0x4D}),
                bad("garbage", 0, "SSH-2.0-OpenSSH_9.2\r\n".getBytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void aBadPeerIsDroppedItsDescriptorsClosedAndTheOthersServed(String what, int fds, byte[] bytes) throws Exception {
        long fdsBefore = openFds();
        try (AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(channels.paths().socket().toFile()))) {
            channels.awaitPeers(2);
            FileInputStream[] files = new FileInputStream[fds];
            FileDescriptor[] descriptors = new FileDescriptor[fds];
            for (int i = 0; i < fds; i++) {
                files[i] = new FileInputStream(Files.writeString(dir.resolve("fd" + i), "x").toFile());
                descriptors[i] = files[i].getFD();
            }
            if (fds > 0) {
                raw.setOutboundFileDescriptors(descriptors);
            }
            OutputStream out = raw.getOutputStream();
            out.write(bytes);
            out.flush();
            for (FileInputStream file : files) {
                file.close(); // ours; the primary's copies are its own to close
            }
            // A truncated frame ends here. Through the channel, not raw.shutdownOutput(): since JDK 24 java.net.Socket
            // checks its own private "connected" state there, which junixsocket (2.11.1), connecting through its own
            // implementation, never sets, so Socket.shutdownOutput fails with "Socket is not connected" although
            // the socket is (junixsocket overrides isConnected(), not shutdownOutput). The channel's shutdownOutput
            // is junixsocket's own and half-closes the same descriptor on every JDK.
            raw.getChannel().shutdownOutput();
            channels.awaitPeers(1);
        }
        assertEquals(1, channels.primary().request(Message.of("test.echo"), Duration.ofSeconds(30)).received(),
                "the good secondary is still served");
        // the primary closes a dropped peer's socket and descriptors on its reader thread (no more open than before:
        // a descriptor the JVM held from earlier work may have been closed meanwhile)
        Await.until("no more descriptors open than before '" + what + "' (" + fdsBefore + ")",
                () -> openFds() <= fdsBefore);
        assertEquals(java.util.List.of(), Await.value(() -> openFilesIn(dir), java.util.List.<String>of()),
                "the passed files are still open after '" + what + "'");
    }

    /** The open descriptors of this process that point to the files passed by the test (fd0, fd1 in {@code directory}). */
    private static java.util.List<String> openFilesIn(Path directory) throws IOException {
        return OpenDescriptors.under(directory.resolve("fd"));
    }

    private static Arguments bad(String what, int fds, byte[] bytes) {
        return Arguments.of(what, fds, bytes);
    }

    /** A valid message frame declaring {@code fds} descriptors. */
    private static byte[] valid(int fds) {
        byte[] frame = FrameCodec.encode(new Frame(FrameKind.MESSAGE, 0, Message.of("test.echo", "params")));
        frame[5] = (byte) fds;
        return frame;
    }

    /** A frame whose 1000 bytes of parameters are flagged as shared, with one descriptor if the case sends one. */
    private static byte[] sharedFrame() {
        byte[] frame = Arrays.copyOf(valid(0), 20 + "test.echo".length()); // no parameters in the body
        ByteBuffer.wrap(frame).put(5, (byte) 1).putShort(6, (short) FrameCodec.FLAG_SHARED_PARAMS).putInt(16, 1000);
        return frame;
    }

    private static byte[] changed(Consumer<ByteBuffer> change) {
        byte[] frame = valid(0);
        change.accept(ByteBuffer.wrap(frame));
        return frame;
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
