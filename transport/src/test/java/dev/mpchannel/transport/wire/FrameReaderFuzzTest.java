package dev.mpchannel.transport.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mpchannel.api.Message;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the decoder: any bytes, delivered in any chunks, with descriptors arriving on any read,
 * must end in well-formed frames within the limits, a clean end, or a {@link FrameException}; never another
 * exception, and never an allocation past the limits. {@code mvn verify} fuzzes it for {@code fuzz.duration} (20 s);
 * crashing inputs are saved under src/test/resources and replayed by every later build.
 */
class FrameReaderFuzzTest {
    private static final FrameLimits LIMITS = new FrameLimits(1024, 3, 1024);

    @FuzzTest(maxDuration = "20s")
    void anyInputEndsInFramesOrAFrameException(FuzzedDataProvider data) throws IOException {
        List<FileInputStream> opened = new ArrayList<>();
        try {
            FrameReader reader = new FrameReader(new ChunkedStream(data), () -> descriptors(data, opened), LIMITS);
            try {
                for (int frames = 0; frames < 64; frames++) {
                    Frame frame = reader.read();
                    if (frame == null) {
                        break;
                    }
                    Message message = frame.message();
                    assertTrue(message.paramsLength() <= LIMITS.maxParamsBytes());
                    assertTrue(message.fileDescriptors().size() <= LIMITS.maxFileDescriptors());
                    Message.checkName(message.action());
                    FileDescriptors.closeAll(message.fileDescriptors());
                }
            } catch (FrameException expected) {
                // malformed input is refused; that is the point
            } finally {
                reader.close();
            }
        } finally {
            for (FileInputStream in : opened) {
                in.close();
            }
        }
    }

    /** Up to three real descriptors (of /dev/null) with some reads, as the kernel would hand them over. */
    private static FileDescriptor[] descriptors(FuzzedDataProvider data, List<FileInputStream> opened)
            throws IOException {
        int count = data.remainingBytes() > 0 ? data.consumeInt(0, 3) : 0;
        FileDescriptor[] fds = new FileDescriptor[count];
        for (int i = 0; i < count; i++) {
            FileInputStream in = new FileInputStream("/dev/null");
            opened.add(in);
            fds[i] = in.getFD();
        }
        return fds;
    }

    /** The fuzzer's bytes, in reads of the sizes it chooses. */
    private static final class ChunkedStream extends InputStream {
        private final FuzzedDataProvider data;

        ChunkedStream(FuzzedDataProvider data) {
            this.data = data;
        }

        @Override
        public int read() {
            return data.remainingBytes() == 0 ? -1 : data.consumeByte() & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (data.remainingBytes() == 0) {
                return -1;
            }
            int chunk = data.consumeInt(1, Math.max(1, Math.min(length, 256)));
            byte[] bytes = data.consumeBytes(chunk);
            if (bytes.length == 0) {
                return -1;
            }
            System.arraycopy(bytes, 0, buffer, offset, bytes.length);
            return bytes.length;
        }
    }
}
