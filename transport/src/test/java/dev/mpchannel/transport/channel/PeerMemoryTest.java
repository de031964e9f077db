package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.OpenDescriptors;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.socket.StreamConnection;
import dev.mpchannel.transport.wire.FileDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameCodec;
import dev.mpchannel.transport.wire.FrameKind;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * What a peer can make this side allocate: bounded by the bytes it sent, never by the lengths its headers declare.
 */
class PeerMemoryTest {
    private static final int HOSTILE_PEERS = 50;
    /** The largest parameters the primary accepts (in shared memory, or inline when the inline limit is as large). */
    private static final int MAX_MESSAGE_BYTES = 256 << 20;
    /** What each hostile peer sends of the parameters it declares. */
    private static final int SENT_BYTES = 1000;

    @TempDir
    Path dir;

    /**
     * A primary with a 64 MiB heap and {@code max.message.bytes} of 256 MiB; 50 connections each declare inline
     * parameters of 256 MiB and send 1,000 bytes of them. With the default inline limit each is refused from its
     * header; with an inline limit as large as the maximum, each reader holds only what arrived. Either way a
     * well-behaved peer is served meanwhile, each hostile peer is dropped with one WARN line, and no allocation fails.
     */
    @ParameterizedTest(name = "inline.max.bytes {0}")
    @ValueSource(ints = {65536, MAX_MESSAGE_BYTES})
    void manyPeersDeclaringTheLargestFrameLeaveASmallHeapServing(int inlineMaxBytes) throws Exception {
        Path log = dir.resolve("primary.log");
        Process primary = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), SmallHeapPrimary.class.getName(),
                dir.toString(), Integer.toString(MAX_MESSAGE_BYTES), Integer.toString(inlineMaxBytes))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<AFUNIXSocket> hostile = new ArrayList<>();
        try {
            Await.until("the primary in a 64 MiB JVM listens (its log: " + log + ")",
                    () -> read(log).lines().anyMatch("ready"::equals) || !primary.isAlive());
            assertTrue(primary.isAlive(), () -> "the primary ended: " + read(log));
            Path socket = dir.resolve("test.sock");
            byte[] frame = declaringTheMaximum();
            for (int i = 0; i < HOSTILE_PEERS; i++) {
                AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()));
                hostile.add(raw);
                OutputStream out = raw.getOutputStream();
                out.write(frame);
                out.flush();
            }
            FrameLimits limits = new FrameLimits(MAX_MESSAGE_BYTES, 4, inlineMaxBytes);
            assertEquals("ping", echo(socket, limits), "a well-behaved peer is served");
            for (AFUNIXSocket raw : hostile) {
                // the parameters end here: what the reader held of them is all it ever gets (see BadPeerTest on why
                // the channel's shutdownOutput)
                raw.getChannel().shutdownOutput();
            }
            Await.until(HOSTILE_PEERS + " hostile peers dropped, or an OutOfMemoryError (log: " + log + ")",
                    () -> drops(log).size() == HOSTILE_PEERS || read(log).contains("OutOfMemoryError"));
            assertFalse(read(log).contains("OutOfMemoryError"), () -> "the primary ran out of memory: " + read(log));
            String reason = inlineMaxBytes < MAX_MESSAGE_BYTES
                    ? "inline parameters of " + MAX_MESSAGE_BYTES + " bytes, the inline limit is " + inlineMaxBytes
                    : "(" + SENT_BYTES + " of " + MAX_MESSAGE_BYTES + " bytes read)";
            for (String line : drops(log)) {
                assertTrue(line.contains(" WARN ") && line.contains(reason), line + " should say " + reason);
            }
            assertEquals(HOSTILE_PEERS, drops(log).size());
            assertEquals("ping", echo(socket, limits), "a well-behaved peer is still served");
            assertTrue(primary.isAlive());
        } finally {
            for (AFUNIXSocket raw : hostile) {
                raw.close();
            }
            primary.getOutputStream().close(); // the primary's signal to end
            if (!primary.waitFor(30, TimeUnit.SECONDS)) {
                primary.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * An inline frame longer than {@code inline.max.bytes} (though within {@code max.message.bytes}) breaks the
     * protocol: its peer is dropped, the descriptors it sent are closed, and another peer goes on being served.
     */
    @Test
    void anInlineFrameLongerThanTheInlineLimitDropsItsPeerAndClosesItsDescriptors() throws Exception {
        FrameLimits limits = new FrameLimits(1 << 20, 4, 4096);
        Capacity capacity = new Capacity(2, 1024, 4096, Duration.ofSeconds(30));
        try (LocalChannels channels = LocalChannels.start(dir, capacity, limits, "test.*")) {
            channels.primary().actions().bind("test.sink", context -> null, false);
            channels.connectSecondary("test.*").actions().bind("test.echo", context -> context.message(), false);
            try (AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(channels.paths().socket().toFile()))) {
                channels.awaitPeers(2);
                FileInputStream[] files = new FileInputStream[2];
                FileDescriptor[] fds = new FileDescriptor[files.length];
                for (int i = 0; i < files.length; i++) {
                    files[i] = new FileInputStream(Files.writeString(dir.resolve("fd" + i), "x").toFile());
                    fds[i] = files[i].getFD();
                }
                byte[] frame = FrameCodec.encode(Frame.message(Message.of("test.sink", new byte[4097])));
                frame[5] = (byte) fds.length;
                raw.setOutboundFileDescriptors(fds);
                raw.getOutputStream().write(frame);
                for (FileInputStream file : files) {
                    file.close(); // ours; the primary's copies are its own to close
                }
                channels.awaitPeers(1);
            }
            assertEquals(1, channels.primary().request(Message.of("test.echo"), Duration.ofSeconds(30)).received(),
                    "the good secondary is still served");
            assertEquals(List.of(), Await.value(() -> openFilesIn(dir), List.<String>of()),
                    "the descriptors that came with the refused frame are still open");
        }
    }

    /**
     * A well-behaved frame far larger than the socket's buffers, with descriptors: the kernel splits its write, and
     * the descriptors come with its first bytes only, so the reader's check on descriptors in the middle of
     * parameters never refuses it.
     */
    @Test
    void aLargeInlineFrameWithDescriptorsArrivesWhole() throws Exception {
        FrameLimits limits = new FrameLimits(4 << 20, 4, 4 << 20);
        Capacity capacity = new Capacity(2, 1024, 4096, Duration.ofSeconds(30));
        try (LocalChannels channels = LocalChannels.start(dir, capacity, limits, "test.*")) {
            CompletableFuture<Message> received = new CompletableFuture<>();
            channels.primary().actions().bind("test.big", context -> {
                FileDescriptors.closeAll(context.message().fileDescriptors());
                received.complete(context.message());
                return null;
            }, false);
            ChannelRuntime secondary = channels.connectSecondary();
            byte[] params = new byte[4 << 20];
            Arrays.fill(params, (byte) 7);
            try (FileInputStream a = new FileInputStream(Files.writeString(dir.resolve("a"), "a").toFile());
                    FileInputStream b = new FileInputStream(Files.writeString(dir.resolve("b"), "b").toFile())) {
                secondary.send(Message.of("test.big", params).withFileDescriptors(a.getFD(), b.getFD()));
            }
            Message message = received.get(30, TimeUnit.SECONDS);
            assertEquals(params.length, message.paramsLength());
            assertEquals(2, message.fileDescriptors().size());
            assertEquals(1, channels.primary().peers().size(), "the sender is still attached");
        }
    }

    /** A message frame declaring {@link #MAX_MESSAGE_BYTES} inline, with the first {@link #SENT_BYTES} of them. */
    private static byte[] declaringTheMaximum() {
        byte[] header = FrameCodec.encode(Frame.message(Message.of("test.echo")));
        ByteBuffer.wrap(header).putInt(16, MAX_MESSAGE_BYTES);
        return Arrays.copyOf(header, header.length + SENT_BYTES);
    }

    /** Requests {@code test.echo} of the primary over a connection of its own; fails after 30 s without an answer. */
    private static String echo(Path socket, FrameLimits limits) throws Exception {
        StreamConnection connection = StreamConnection.connect(socket, limits);
        try {
            connection.write(Frame.request(1, Message.of("test.echo", "ping")));
            return CompletableFuture.supplyAsync(() -> {
                try {
                    Frame answer = connection.read();
                    assertEquals(FrameKind.REPLY, answer.kind(), answer::toString);
                    return answer.message().paramsAsString();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).get(30, TimeUnit.SECONDS);
        } finally {
            connection.close(); // also ends a read still waiting
        }
    }

    /** The log's lines about a hostile peer dropped (the well-behaved ones leave no such line). */
    private static List<String> drops(Path log) {
        return read(log).lines().filter(line -> line.contains("broke the protocol")).toList();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The open descriptors of this process that point to the files the test passed (fd0, fd1 in {@code directory}). */
    private static List<String> openFilesIn(Path directory) throws IOException {
        return OpenDescriptors.under(directory.resolve("fd"));
    }
}
