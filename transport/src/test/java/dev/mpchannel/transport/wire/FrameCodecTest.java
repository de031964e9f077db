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
        assertRefused(header(b -> b.putShort(6, (short) 4)), "unknown flags 0x0004");
        assertRefused(header(b -> b.putShort(6, (short) 0x8000)), "unknown flags 0x8000");
    }

    @Test
    void aSegmentTokenNeedsSharedParameters() {
        assertRefused(header(b -> b.putShort(6, (short) FrameCodec.FLAG_SEGMENT)),
                "a segment token (flag bit 1) without parameters in shared memory (flag bit 0)");
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
    void inlineParametersLongerThanTheInlineLimitAreRefused() throws IOException {
        FrameLimits limits = new FrameLimits(1 << 20, 4, 1024);
        byte[] over = FrameCodec.encode(Frame.message(Message.of("a", new byte[1025])));
        FrameException e = assertThrows(FrameException.class,
                () -> new FrameReader(new ByteArrayInputStream(over), () -> null, limits).read());
        assertTrue(e.getMessage().contains("inline parameters of 1025 bytes, the inline limit is 1024"), e.getMessage());
        byte[] atLimit = FrameCodec.encode(Frame.message(Message.of("a", new byte[1024])));
        assertEquals(1024, new FrameReader(new ByteArrayInputStream(atLimit), () -> null, limits).read()
                .message().paramsLength());
    }

    @Test
    void aDeclaredLengthIsAllocatedOnlyAsItsBytesArrive() {
        int declared = 256 << 20;
        FrameLimits limits = new FrameLimits(declared, 4, declared); // inline up to the maximum: only growth bounds it
        byte[] frame = concat(header(b -> b.putInt(16, declared)), new byte[999]); // the name byte and 999 more
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        FrameException e = assertThrows(FrameException.class,
                () -> new FrameReader(new ByteArrayInputStream(frame), () -> null, limits).read());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("(999 of " + declared + " bytes read)"), e.getMessage());
        assertTrue(allocated < 1 << 20, "a frame declaring " + declared + " bytes and sending 999 made the reader "
                + "allocate " + allocated + " bytes");
    }

    @Test
    void aLargeInlineFrameArrivingInSmallReadsIsReadWhole() throws IOException {
        byte[] params = new byte[5 * 64 * 1024 + 7]; // past the reader's first 64 KiB array: grown three times
        for (int i = 0; i < params.length; i++) {
            params[i] = (byte) (i * 31);
        }
        FrameLimits limits = new FrameLimits(params.length, 4, params.length);
        byte[] bytes = FrameCodec.encode(Frame.message(Message.of("big", params)));
        java.io.InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000)); // as a socket may hand it over
            }
        };
        assertArrayEquals(params, new FrameReader(trickle, () -> null, limits).read().message().params());
    }

    @Test
    void sharedParametersAreMappedOnlyFromAFileOfExactlyTheDeclaredLength() throws IOException {
        Path file = Files.write(dir.resolve("shared"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        for (int declared : new int[] {9, 11}) {
            FileInputStream in = new FileInputStream(file.toFile());
            opened.add(in);
            FrameException e = assertThrows(FrameException.class, () -> SharedParams.map(in.getFD(), declared));
            assertEquals("shared parameters: the file holds 10 bytes, the header says " + declared, e.getMessage());
            assertFalse(in.getFD().valid(), "the refused descriptor is closed");
        }
        FileInputStream in = new FileInputStream(file.toFile());
        opened.add(in);
        assertEquals(ByteBuffer.wrap(Files.readAllBytes(file)), SharedParams.map(in.getFD(), 10));
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
    void descriptorsArrivingInTheMiddleOfParametersAreRefusedByTheReadThatBroughtThem() {
        byte[] frame = FrameCodec.encode(Frame.message(Message.of("a", new byte[1000])));
        int[] reads = {0};
        java.io.InputStream trickle = new ByteArrayInputStream(frame) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                reads[0]++;
                return super.read(b, off, Math.min(len, 100));
            }
        };
        List<FileDescriptor> sent = new ArrayList<>();
        FrameReader reader = new FrameReader(trickle, () -> { // one more with every read after the first
            if (reads[0] < 2) {
                return null;
            }
            FileDescriptor fd = openFd();
            sent.add(fd);
            return new FileDescriptor[] {fd};
        }, LIMITS);
        FrameException e = assertThrows(FrameException.class, reader::read);
        assertTrue(e.getMessage().contains("1 file descriptor(s) arrived in the middle of a frame's parameters"),
                e.getMessage());
        assertEquals(2, reads[0], "refused on the read that brought them, not after the whole frame");
        reader.close();
        assertEquals(1, sent.size());
        assertFalse(sent.get(0).valid(), "closed by the reader");
    }

    @Test
    void descriptorsPilingUpAheadOfTheirFramesAreRefused() {
        byte[] frame = FrameCodec.encode(Frame.message(Message.of("a")));
        int[] reads = {0};
        java.io.InputStream byteByByte = new ByteArrayInputStream(frame) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                reads[0]++;
                return super.read(b, off, Math.min(len, 1));
            }
        };
        List<FileDescriptor> sent = new ArrayList<>();
        FrameReader reader = new FrameReader(byteByByte, () -> { // three with every byte
            FileDescriptor[] three = {openFd(), openFd(), openFd()};
            sent.addAll(List.of(three));
            return three;
        }, LIMITS);
        FrameException e = assertThrows(FrameException.class, reader::read);
        assertTrue(e.getMessage().contains("12 file descriptors arrived ahead of their frames, more than two frames may"
                + " carry (10)"), e.getMessage());
        assertEquals(4, reads[0], "refused once more than two frames' worth arrived");
        reader.close();
        sent.forEach(fd -> assertFalse(fd.valid(), "closed by the reader"));
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
