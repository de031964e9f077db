package dev.mpchannel.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * Guards the workaround against junixsocket changing under it: the private path to its receive buffer still exists,
 * 253 descriptors arrive through plain junixsocket sockets (stream and datagram) once it is installed, and the
 * setter still clamps (when it no longer does, the workaround can go: junixsocket's own call is then enough).
 */
class AncillaryReceiveBufferTest {
    @TempDir
    Path dir;

    @Test
    void theBufferHoldsTheKernelsMostDescriptorsAndCredentials() {
        assertEquals(1064, AncillaryReceiveBuffer.BYTES, "CMSG_SPACE(253 * 4) + CMSG_SPACE(12) on 64-bit Linux");
    }

    @Test
    void twoHundredFiftyThreeDescriptorsArriveOnAStreamSocket() throws Exception {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        try (AFUNIXSocket sender = (AFUNIXSocket) pair.getSocket1().socket();
                AFUNIXSocket receiver = (AFUNIXSocket) pair.getSocket2().socket()) {
            AncillaryReceiveBuffer.install(receiver);
            assertTrue(receiver.getAncillaryReceiveBufferSize() >= AncillaryReceiveBuffer.BYTES);
            List<FileInputStream> files = open(253);
            try {
                sender.setOutboundFileDescriptors(fds(files));
                sender.getOutputStream().write(1);
            } finally {
                closeAll(files);
            }
            assertEquals(1, receiver.getInputStream().read());
            assertContents(receiver.getReceivedFileDescriptors());
        }
    }

    @Test
    void twoHundredFiftyThreeDescriptorsArriveOnADatagramSocket() throws Exception {
        try (AFUNIXDatagramSocket receiver = AFUNIXDatagramSocket.newInstance();
                AFUNIXDatagramSocket sender = AFUNIXDatagramSocket.newInstance()) {
            AFUNIXSocketAddress address = AFUNIXSocketAddress.of(dir.resolve("dgram").toFile());
            receiver.bind(address);
            AncillaryReceiveBuffer.install(receiver);
            sender.connect(address);
            List<FileInputStream> files = open(253);
            try {
                sender.setOutboundFileDescriptors(fds(files));
                sender.send(new DatagramPacket(new byte[] {1}, 1));
            } finally {
                closeAll(files);
            }
            receiver.receive(new DatagramPacket(new byte[8], 8));
            assertContents(receiver.getReceivedFileDescriptors());
        }
    }

    @Test
    void theKernelRefusesMoreThan253InOneMessage() throws Exception {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        try (AFUNIXSocket sender = (AFUNIXSocket) pair.getSocket1().socket();
                AFUNIXSocket receiver = (AFUNIXSocket) pair.getSocket2().socket()) {
            List<FileInputStream> files = open(254);
            try {
                sender.setOutboundFileDescriptors(fds(files));
                assertThrows(SocketException.class, () -> sender.getOutputStream().write(1),
                        "SCM_MAX_FD is 253: the buffer is sized for no more");
            } finally {
                closeAll(files);
            }
        }
    }

    /** When this fails, junixsocket honours the size asked for: drop AncillaryReceiveBuffer for its own setter. */
    @Test
    void junixsocketsOwnSetterStillClampsTo256Bytes() throws Exception {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        try (AFUNIXSocket socket = (AFUNIXSocket) pair.getSocket1().socket()) {
            pair.getSocket2().close();
            socket.setAncillaryReceiveBufferSize(AncillaryReceiveBuffer.BYTES);
            assertEquals(256, socket.getAncillaryReceiveBufferSize());
        }
    }

    private List<FileInputStream> open(int count) throws IOException {
        Path file = Files.writeString(dir.resolve("content"), "253 of these");
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

    /** All 253 arrived, each readable (they are junixsocket's: it closes them with its socket). */
    private static void assertContents(FileDescriptor[] received) throws IOException {
        assertEquals(253, received.length);
        for (FileDescriptor fd : received) {
            FileInputStream in = new FileInputStream(fd); // not closed: the socket owns the descriptor
            assertEquals("253 of these", new String(read(in), StandardCharsets.UTF_8));
        }
    }

    private static byte[] read(FileInputStream in) throws IOException {
        byte[] bytes = new byte[12];
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        in.getChannel().read(buffer, 0);
        return bytes;
    }
}
