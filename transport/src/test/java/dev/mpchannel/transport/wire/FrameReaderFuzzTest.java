package dev.mpchannel.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mpchannel.api.Message;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the stream decoder ({@link FrameReader} with {@link FrameCodec}), as a peer reaches it:
 * any bytes, delivered in reads of any sizes, with descriptors arriving on any read.
 * <p>
 * The contract checked on every input:
 * <ul>
 * <li>each {@code read()} (or {@code readAvailable()}, every frame of it) ends in a well-formed frame within the limits, {@code null} (a clean end between frames),
 * or a {@link FrameException}; never another exception;</li>
 * <li>nothing is allocated past the limits, nor past what arrived: one {@code read()} allocates at most a fixed
 * {@value #ALLOCATION_SLACK} bytes per frame it returns, plus the smaller of the limits (parameters inline are at most
 * {@code inlineMaxBytes}) and a first array of {@code FrameReader.FIRST_CHUNK_BYTES} grown with the bytes it was handed
 * (measured with the thread's allocation counter; the harness drew its script beforehand and allocates next to nothing
 * while the reader runs), however large the header's lengths; with limits of 64 MiB, an input of a few KiB declaring
 * them must not make the reader allocate them;</li>
 * <li>every descriptor the reader took is either handed on, in a frame, in arrival order and to one frame only, or
 * closed by the reader (by the time {@code close()} returns): none is left open (each is a real descriptor of
 * /dev/null, and its {@link FileDescriptor#valid()} tells whether it was closed). Descriptors of writes the reader
 * never reached (it stopped at an error before) stay in the socket, which closes them.</li>
 * </ul>
 * The shared-memory path is fuzzed with real files, pipes, sockets and more in {@link SharedParamsFuzzTest}; here its
 * descriptors are /dev/null. {@code mvn verify} fuzzes it for {@code fuzz.duration}; see {@link BoundedFuzzTest}.
 */
class FrameReaderFuzzTest extends BoundedFuzzTest {
    private static final FrameLimits LIMITS = new FrameLimits(1024, 3, 1024);
    /**
     * Inline parameters allowed up to 64 MiB, far past what an input can carry: only the growth of the reader's array
     * with the bytes that arrive keeps its allocations small.
     */
    private static final FrameLimits WIDE = new FrameLimits(64 << 20, 3, 64 << 20);
    /** With {@link #WIDE}, the inline limit below the largest parameters: longer inline ones are refused. */
    private static final FrameLimits NARROW_INLINE = new FrameLimits(1024, 3, 256);
    /** What a read may allocate besides the parameters: the name, the message, an exception and its stack trace. */
    static final long ALLOCATION_SLACK = 32 * 1024;
    private static final Allocations ALLOCATIONS = new Allocations();

    @FuzzTest(maxDuration = "10s")
    void anyInputEndsInFramesOrAFrameExceptionAndLeavesNoDescriptorOpen(FuzzedDataProvider data) throws IOException {
        boolean batched = data.consumeBoolean(); // read() or readAvailable(): both decode what a peer sends
        Script script = Script.draw(data, 3);
        FrameLimits limits = switch (data.consumeInt(0, 2)) {
            case 0 -> LIMITS;
            case 1 -> WIDE;
            default -> NARROW_INLINE;
        };
        try {
            FrameReader reader = new FrameReader(script, script::take, limits);
            Map<FileDescriptor, Integer> handedOn = new IdentityHashMap<>();
            int lastArrival = -1;
            try {
                for (int frames = 0; frames < 64; frames++) {
                    ALLOCATIONS.start();
                    long readBefore = script.bytesRead;
                    List<Frame> read = null;
                    try {
                        if (batched) {
                            read = reader.readAvailable();
                        } else {
                            Frame one = reader.read();
                            read = one == null ? List.of() : List.of(one);
                        }
                    } finally {
                        long allocated = ALLOCATIONS.allocated();
                        long count = Math.max(1, read == null ? 1 : read.size());
                        // the parameters' arrays follow the bytes that arrived (a first array, then doubling)
                        long arrived = 2L * FrameReader.FIRST_CHUNK_BYTES + 5 * (script.bytesRead - readBefore);
                        long bound = count * ALLOCATION_SLACK
                                + Math.min(count * Math.min(limits.maxParamsBytes(), limits.inlineMaxBytes()), arrived);
                        if (allocated > bound) {
                            fail("one read allocated " + allocated + " bytes for " + (read == null ? "no" : read.size())
                                    + " frame(s), limit " + bound);
                        }
                    }
                    if (read.isEmpty()) {
                        break;
                    }
                    for (Frame frame : read) {
                        Message message = frame.message();
                        assertTrue(message.paramsLength() <= limits.maxParamsBytes());
                        assertTrue(message.paramsLength() <= limits.inlineMaxBytes() || message.paramsBuffer().isDirect(),
                                "inline parameters past the inline limit");
                        assertTrue(message.fileDescriptors().size() <= limits.maxFileDescriptors());
                        Message.checkName(message.action());
                        assertNotNull(frame.kind());
                        assertEquals(frame.kind() == FrameKind.MESSAGE, frame.requestId() == 0);
                        for (FileDescriptor fd : message.fileDescriptors()) {
                            Integer arrival = script.arrival.get(fd);
                            assertNotNull(arrival, "a descriptor the peer never sent");
                            assertTrue(fd.valid(), "a frame carries a closed descriptor");
                            assertTrue(handedOn.put(fd, arrival) == null, "a descriptor handed on twice");
                            assertTrue(arrival > lastArrival, "descriptors out of arrival order");
                            lastArrival = arrival;
                        }
                        // the action's part: it owns what it was handed
                        FileDescriptors.closeAll(message.fileDescriptors());
                    }
                }
            } catch (FrameException expected) {
                // malformed input is refused; that is the point
            } finally {
                reader.close();
            }
            // the descriptors of writes the reader never reached are still the socket's, not the reader's
            for (FileDescriptor fd : script.taken) {
                assertFalse(fd.valid(), "a descriptor left open: neither handed on nor closed");
            }
        } finally {
            script.closeAll();
        }
    }

    /**
     * The peer's side, drawn from the fuzzer's bytes before the reader runs (so that the harness allocates next to
     * nothing while it reads): a sequence of reads, each some bytes and the descriptors that arrive with them.
     */
    static final class Script extends InputStream {
        final List<byte[]> chunks = new ArrayList<>();
        final List<FileDescriptor[]> fds = new ArrayList<>();
        final List<FileInputStream> opened = new ArrayList<>();
        final Map<FileDescriptor, Integer> arrival = new IdentityHashMap<>();
        /** What the reader took: from then on, each is its to hand on or close. */
        final List<FileDescriptor> taken = new ArrayList<>();
        /** How many bytes the reader has been handed so far. */
        long bytesRead;
        private int chunk;
        private int offset;
        private int delivered = -1;

        static Script draw(FuzzedDataProvider data, int maxFdsPerRead) throws IOException {
            Script script = new Script();
            try {
                while (data.remainingBytes() > 0 && script.chunks.size() < 256) {
                    int count = data.consumeInt(0, 3) == 0 ? data.consumeInt(0, maxFdsPerRead) : 0;
                    byte[] bytes = data.consumeBytes(data.consumeInt(1, 256));
                    if (bytes.length == 0) {
                        break;
                    }
                    FileDescriptor[] received = new FileDescriptor[count];
                    for (int i = 0; i < count; i++) {
                        FileInputStream in = new FileInputStream("/dev/null");
                        script.opened.add(in);
                        received[i] = in.getFD();
                        script.arrival.put(received[i], script.arrival.size());
                    }
                    script.chunks.add(bytes);
                    script.fds.add(received);
                }
            } catch (IOException | RuntimeException e) {
                script.closeAll();
                throw e;
            }
            return script;
        }

        /** The descriptors that came with the latest read, once (as junixsocket hands them over). */
        FileDescriptor[] take() {
            if (delivered < 0) {
                return null;
            }
            FileDescriptor[] got = fds.get(delivered);
            delivered = -1;
            if (got.length == 0) {
                return null;
            }
            taken.addAll(List.of(got));
            return got;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the reader reads in blocks");
        }

        @Override
        public int read(byte[] buffer, int at, int length) {
            if (chunk == chunks.size()) {
                return -1;
            }
            byte[] bytes = chunks.get(chunk);
            if (offset == 0) {
                delivered = chunk; // descriptors come with the read that returns a write's first byte
            }
            int n = Math.min(length, bytes.length - offset);
            System.arraycopy(bytes, offset, buffer, at, n);
            offset += n;
            bytesRead += n;
            if (offset == bytes.length) {
                chunk++;
                offset = 0;
            }
            return n;
        }

        void closeAll() throws IOException {
            for (FileInputStream in : opened) {
                in.close();
            }
        }
    }
}
