package dev.mpchannel.transport.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.OpenDescriptors;
import dev.mpchannel.transport.socket.AncillaryReceiveBuffer;
import dev.mpchannel.transport.wire.FileDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameKind;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A DPDK connection against a stand-in primary: a datagram socket of the test's at {@code mp_socket}, which sends
 * what a real DPDK would and what it never would. Descriptors: the layout's most each way, anything else dropped with
 * every descriptor closed. Locking: a writer blocked on the primary's full queue never keeps a datagram from being read.
 */
class DpdkConnectionTest {
    @TempDir
    Path dir;

    private AFUNIXDatagramSocket primary;
    private DpdkConnection connection;
    private DpdkLayout layout;

    @AfterEach
    void close() throws IOException {
        if (connection != null) {
            connection.close();
            connection.releaseReceived();
        }
        if (primary != null) {
            primary.close();
        }
    }

    private void connect(DpdkLayout layout) throws IOException {
        this.layout = layout;
        DpdkPaths paths = DpdkPaths.of(dir.toString(), "", 0);
        primary = AFUNIXDatagramSocket.newInstance();
        primary.bind(AFUNIXSocketAddress.of(paths.primarySocket().toFile()));
        AncillaryReceiveBuffer.install(primary);
        connection = DpdkConnection.connect(paths, layout);
    }

    @ParameterizedTest
    @EnumSource(DpdkLayout.class)
    void theLayoutsMostDescriptorsGoEachWay(DpdkLayout layout) throws Exception {
        connect(layout);
        int most = layout.maxFds();
        List<FileInputStream> files = openFiles("to-java", most);
        try {
            sendFromPrimary(new DpdkMessage(DpdkMessage.Type.MESSAGE, "java.fds", new byte[0], most), fds(files));
        } finally {
            closeAll(files);
        }
        Frame frame = connection.read();
        assertEquals(most, frame.message().fileDescriptors().size());
        for (FileDescriptor fd : frame.message().fileDescriptors()) {
            assertEquals("to-java", contentOf(fd)); // and closes it
        }

        files = openFiles("to-dpdk", most);
        try {
            connection.write(Frame.message(Message.of("dpdk.fds").withFileDescriptors(Arrays.asList(fds(files)))));
        } finally {
            closeAll(files);
        }
        byte[] datagram = new byte[4096];
        DatagramPacket packet = new DatagramPacket(datagram, datagram.length);
        primary.receive(packet);
        assertEquals(most, DpdkMessage.decode(datagram, packet.getLength(), layout).numFds());
        FileDescriptor[] got = primary.getReceivedFileDescriptors();
        assertEquals(most, got.length);
        for (FileDescriptor fd : got) {
            assertEquals("to-dpdk", contentOf(fd));
        }
        assertEquals(List.of(), openIn(dir), "descriptors left open");
    }

    /** The stand-in sends {@code sent} descriptors with a datagram declaring {@code declared}, then a good one. */
    @ParameterizedTest(name = "{0}: {1} sent, {2} declared")
    @CsvSource({"V22_11, 9, 9", "V22_11, 9, 8", "V22_11, 3, 4", "V22_11, 1, 0", "V22_11, 61, 8", "V22_11, 253, 0",
            "V25_11, 253, 252", "V25_11, 100, 101", "V25_11, 61, 60"})
    void moreDescriptorsThanTheLayoutAllowsOrThanDeclaredAreDroppedAndClosed(DpdkLayout layout, int sent,
            int declared) throws Exception {
        connect(layout);
        List<FileInputStream> files = openFiles("hostile", sent);
        try {
            sendFromPrimary(new DpdkMessage(DpdkMessage.Type.MESSAGE, "java.bad", new byte[0], declared), fds(files));
        } finally {
            closeAll(files);
        }
        sendFromPrimary(new DpdkMessage(DpdkMessage.Type.MESSAGE, "java.good", new byte[0], 0));
        Frame next = connection.read();
        assertEquals("java.good", next.message().action(), "the bad datagram was dropped and reading goes on");
        assertEquals(List.of(), openIn(dir), "the descriptors of the bad datagram are closed");
    }

    @Test
    @Timeout(120)
    void aWriterBlockedOnTheFullPrimaryNeverKeepsADatagramFromBeingRead() throws Exception {
        connect(DpdkLayout.V22_11);
        // fill the stand-in's queue (it does not read), so that the connection's next send blocks
        try (AFUNIXDatagramChannel filler = AFUNIXDatagramChannel.open()) {
            filler.configureBlocking(false);
            AFUNIXSocketAddress to = AFUNIXSocketAddress.of(dir.resolve("mp_socket").toFile());
            int sent = 0;
            while (filler.send(ByteBuffer.wrap(new byte[] {0}), to) > 0) {
                assertTrue(++sent < 100_000, "the queue never filled");
            }
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        Thread writing = new Thread(() -> {
            try {
                connection.write(Frame.message(Message.of("dpdk.note", "blocked")));
                written.complete(null);
            } catch (Throwable e) {
                written.completeExceptionally(e);
            }
        }, "dpdk-test-writer");
        ExecutorService reading = Executors.newSingleThreadExecutor();
        try {
            writing.start();
            Await.until("the writer blocked in its send", () -> inSend(writing));
            sendFromPrimary(new DpdkMessage(DpdkMessage.Type.REQUEST, "java.ask", "q".getBytes(StandardCharsets.UTF_8),
                    0));
            Future<Frame> read = reading.submit(connection::read);
            Frame request = read.get(20, TimeUnit.SECONDS); // before: not while the writer was blocked
            assertEquals(FrameKind.REQUEST, request.kind());
            assertEquals("java.ask", request.message().action());
            drainPrimary();
            written.get(20, TimeUnit.SECONDS);
        } finally {
            reading.shutdownNow();
            drainPrimary(); // lets a still blocked writer finish
            connection.close();
            writing.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    @Test
    void descriptorsDuplicatedBeforeOneFailsAreClosed() throws Exception {
        List<FileInputStream> files = openFiles("partial", 2);
        FileDescriptor[] got = {files.get(0).getFD(), files.get(1).getFD(), new FileDescriptor()}; // the last: invalid
        try {
            assertThrows(IOException.class, () -> DpdkConnection.owned(got));
        } finally {
            closeAll(files);
        }
        assertEquals(List.of(), openIn(dir), "a duplicate made before the failure is still open");
    }

    private void sendFromPrimary(DpdkMessage message, FileDescriptor... fds) throws IOException {
        byte[] datagram = message.encode(layout);
        AFUNIXSocketAddress to = AFUNIXSocketAddress.of(connection.path().toFile());
        if (fds.length == 0) {
            primary.getChannel().send(ByteBuffer.wrap(datagram), to);
            return;
        }
        if (!primary.isConnected()) {
            primary.connect(to); // junixsocket attaches descriptors on a connected socket only
        }
        primary.setOutboundFileDescriptors(fds);
        primary.send(new DatagramPacket(datagram, datagram.length));
    }

    private void drainPrimary() throws IOException {
        primary.setSoTimeout(50);
        byte[] sink = new byte[4096];
        try {
            while (true) {
                primary.receive(new DatagramPacket(sink, sink.length));
            }
        } catch (SocketTimeoutException | java.net.SocketException drained) {
            // empty (or closed)
        }
    }

    private static boolean inSend(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().startsWith("org.newsclub.net.unix.") && frame.getMethodName().equals("send")
                    && frame.isNativeMethod()) {
                return true;
            }
        }
        return false;
    }

    private List<FileInputStream> openFiles(String content, int count) throws IOException {
        Path file = Files.writeString(dir.resolve(content), content);
        List<FileInputStream> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(new FileInputStream(file.toFile()));
        }
        return files;
    }

    private static FileDescriptor[] fds(List<FileInputStream> files) throws IOException {
        FileDescriptor[] fds = new FileDescriptor[files.size()];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = files.get(i).getFD();
        }
        return fds;
    }

    private static void closeAll(List<FileInputStream> files) throws IOException {
        for (FileInputStream file : files) {
            file.close();
        }
    }

    /** Reads the file behind a descriptor from its start, and closes the descriptor. */
    private static String contentOf(FileDescriptor fd) throws IOException {
        try (FileInputStream in = new FileInputStream(fd)) {
            ByteBuffer bytes = ByteBuffer.allocate(64);
            in.getChannel().read(bytes, 0);
            return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
        } finally {
            FileDescriptors.close(fd);
        }
    }

    /** What this process's descriptors open in {@code directory}, but its socket. */
    private static List<String> openIn(Path directory) throws IOException {
        return OpenDescriptors.under(directory).stream().filter(target -> !target.contains("mp_socket")).toList();
    }
}
