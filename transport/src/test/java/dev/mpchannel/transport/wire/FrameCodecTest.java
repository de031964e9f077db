package dev.mpchannel.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameCodecTest {
    private static final FrameLimits LIMITS = new FrameLimits(1024, 4, 1024);

    @TempDir
    Path dir;

    /** Held so that no stream is collected (its cleaner would close the descriptor under the test). */
    private final List<FileInputStream> opened = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeOpened() throws IOException {
        for (FileInputStream in : opened) {
            in.close();
        }
    }

    @Test
    void everyKindRoundTrips() throws IOException {
        byte[] params = {0, 1, 2, (byte) 0xFF};
        for (FrameKind kind : FrameKind.values()) {
            long id = kind == FrameKind.MESSAGE ? 0 : Long.MAX_VALUE;
            Frame frame = new Frame(kind, id, Message.of("vdev.attach", params));
            Frame read = reader(FrameCodec.encode(frame)).read();
            assertEquals(kind, read.kind());
            assertEquals(id, read.requestId());
            assertEquals("vdev.attach", read.message().action());
            assertArrayEquals(params, read.message().params());
        }
    }

    @Test
    void headerIsTwentyBytesInNetworkOrder() {
        byte[] bytes = FrameCodec.encode(Frame.request(0x0102030405060708L, Message.of("ab", new byte[3])));
        assertEquals(20 + 2 + 3, bytes.length);
        assertArrayEquals(new byte[] {0x4D, 0x50, 1, 2, 2, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 3, 'a', 'b'},
                Arrays.copyOf(bytes, 22));
    }

    @Test
    void severalFramesInOneStreamComeOutInOrderThenEnd() throws IOException {
        byte[] a = FrameCodec.encode(Frame.message(Message.of("a", "1")));
        byte[] b = FrameCodec.encode(Frame.message(Message.of("b", "2".repeat(1000))));
        FrameReader reader = reader(concat(a, b));
        assertEquals("a", reader.read().message().action());
        assertEquals(1000, reader.read().message().paramsLength());
        assertNull(reader.read());
    }

    @Test
    void framesReadTogetherBeforeABrokenOneAreHandedOutBeforeTheError() throws IOException {
        byte[] a = FrameCodec.encode(Frame.message(Message.of("a", "1")));
        byte[] b = FrameCodec.encode(Frame.message(Message.of("b", "2")));
        byte[] broken = FrameCodec.encode(Frame.message(Message.of("c", "3")));
        broken[0] = 0x47; // bad magic
        FrameReader reader = reader(concat(concat(a, b), broken));
        List<Frame> frames = reader.readAvailable();
        assertEquals(List.of("a", "b"), frames.stream().map(f -> f.message().action()).toList());
        FrameException error = assertThrows(FrameException.class, reader::readAvailable);
        assertTrue(error.getMessage().contains("bad magic"), error.getMessage());
    }

    @Test
    void lengthsAtTheirLimitsAreAccepted() throws IOException {
        Frame frame = Frame.message(Message.of("n".repeat(64), new byte[1024]));
        assertEquals(1024, reader(FrameCodec.encode(frame)).read().message().paramsLength());
    }

    @Test
    void badMagicIsRefused() {
        assertRefused(header(b -> b.putShort(0, (short) 0x4745)), "bad magic");
    }

    @Test
    void otherVersionsAreRefused() {
        assertRefused(header(b -> b.put(2, (byte) 0)), "version 0");
        assertRefused(header(b -> b.put(2, (byte) 2)), "version 2");
    }

    @Test
    void unknownKindsAreRefused() {
        assertRefused(header(b -> b.put(3, (byte) 0)), "kind 0");
        assertRefused(header(b -> b.put(3, (byte) 6)), "kind 6");
        assertRefused(header(b -> b.put(3, (byte) 0xFF)), "kind 255");
    }

    @Test
    void nameLengthOutsideOneToSixtyFourIsRefused() {
        assertRefused(header(b -> b.put(4, (byte) 0)), "name length 0");
        assertRefused(header(b -> b.put(4, (byte) 65)), "name length 65");
        assertRefused(header(b -> b.put(4, (byte) 0xFF)), "name length 255");
    }

    @Test
    void moreDescriptorsThanTheLimitAreRefused() {
        assertRefused(header(b -> b.put(5, (byte) 5)), "5 file descriptors declared, the limit is 4");
        assertRefused(header(b -> b.put(5, (byte) 0xFF)), "255 file descriptors");
    }

    @Test
    void unknownFlagsAreRefused() {
        assertRefused(header(b -> b.putShort(6, (short) 2)), "unknown flags 0x0002");
        assertRefused(header(b -> b.putShort(6, (short) 0x8000)), "unknown flags 0x8000");
    }

    @Test
    void sharedParametersNeedADescriptor() {
        assertRefused(header(b -> b.putShort(6, (short) 1)), "no file descriptor declared");
    }

    @Test
    void requestIdMustMatchTheKind() {
        assertRefused(header(b -> b.putLong(8, 7)), "MESSAGE with request id 7");
        assertRefused(header(b -> b.put(3, (byte) FrameKind.REQUEST.code()).putLong(8, 0)), "must not be 0");
        assertRefused(header(b -> b.put(3, (byte) FrameKind.REPLY.code()).putLong(8, 0)), "must not be 0");
    }

    @Test
    void oversizeParametersAreRefusedBeforeAnythingIsAllocated() {
        assertRefused(header(b -> b.putInt(16, 1025)), "parameters of 1025 bytes, the limit is 1024");
        // 4 GiB - 1 would not even fit an array: refused from the header alone
        assertRefused(header(b -> b.putInt(16, -1)), "parameters of 4294967295 bytes");
    }

    @Test
    void aNameThatIsNotUtf8IsRefused() {
        byte[] frame = FrameCodec.encode(Frame.message(Message.of("ab")));
        frame[20] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        assertRefused(frame, "not well-formed UTF-8");
    }

    @Test
    void truncatedInputIsRefusedAtEveryLength() {
        byte[] whole = FrameCodec.encode(Frame.message(Message.of("abc", "hello")));
        for (int length = 1; length < whole.length; length++) {
            assertRefused(Arrays.copyOf(whole, length), "in the middle of");
        }
    }

    @Test
    void anEmptyStreamIsACleanEnd() throws IOException {
        assertNull(reader(new byte[0]).read());
    }

    @Test
    void garbageIsRefused() {
        assertRefused("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(), "bad magic");
    }

    @Test
    void descriptorsGoToTheFrameThatDeclaresThem() throws IOException {
        FileDescriptor fd = openFd();
        byte[] frame = FrameCodec.encode(Frame.message(Message.of("a").withFileDescriptors(fd)));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frame), once(fd), LIMITS);
        assertEquals(List.of(fd), reader.read().message().fileDescriptors());
        assertTrue(fd.valid(), "a delivered descriptor is the receiver's, not closed");
    }

    @Test
    void fewerDescriptorsThanDeclaredIsRefused() {
        FileDescriptor fd = openFd();
        byte[] frame = FrameCodec.encode(Frame.message(Message.of("a").withFileDescriptors(fd)));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frame), () -> null, LIMITS);
        assertTrue(assertThrows(FrameException.class, reader::read).getMessage().contains("declared 1"));
    }

    @Test
    void moreDescriptorsThanDeclaredAreRefusedAndClosed() throws IOException {
        FileDescriptor extra = openFd();
        byte[] frame = FrameCodec.encode(Frame.message(Message.of("a")));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frame), once(extra), LIMITS);
        assertTrue(assertThrows(FrameException.class, reader::read).getMessage().contains("more file descriptor"));
        reader.close();
        assertFalse(extra.valid(), "an undeclared descriptor is closed");
    }

    @Test
    void descriptorsWithNoFrameAreRefusedAndClosed() {
        FileDescriptor stray = openFd();
        FrameReader reader = new FrameReader(new ByteArrayInputStream(new byte[0]), once(stray), LIMITS);
        assertTrue(assertThrows(FrameException.class, reader::read).getMessage().contains("with no frame"));
        reader.close();
        assertFalse(stray.valid());
    }

    @Test
    void limitsOutsideTheirRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FrameLimits(-1, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new FrameLimits(1, 254, 1));
    }

    // --- helpers ---

    private static FrameReader reader(byte[] bytes) {
        return new FrameReader(new ByteArrayInputStream(bytes), () -> null, LIMITS);
    }

    private static void assertRefused(byte[] bytes, String expected) {
        FrameException e = assertThrows(FrameException.class, () -> reader(bytes).read());
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should say '" + expected + "'");
    }

    /** A valid message header (name "a", no params) changed by {@code change}, with one name byte after it. */
    private static byte[] header(java.util.function.Consumer<ByteBuffer> change) {
        byte[] bytes = FrameCodec.encode(Frame.message(Message.of("a")));
        change.accept(ByteBuffer.wrap(bytes));
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static FrameReader.ReceivedDescriptors once(FileDescriptor... fds) {
        List<FileDescriptor[]> batches = new ArrayList<>(List.<FileDescriptor[]>of(fds));
        return () -> batches.isEmpty() ? null : batches.remove(0);
    }

    private FileDescriptor openFd() {
        try {
            Path file = Files.writeString(dir.resolve("fd" + System.nanoTime()), "x");
            FileInputStream in = new FileInputStream(file.toFile());
            opened.add(in);
            return in.getFD();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
