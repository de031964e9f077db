package dev.mpchannel.bench.harness.handoff;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The frames of the hand-off benchmark ({@link HandoffBench}): 64 bytes each way, the request's sequence number in
 * the first 8, echoed unchanged, so that a caller sees which request a reply answers.
 */
final class EchoFrames {
    static final int SIZE = 64;

    private EchoFrames() {
    }

    /** A frame of {@code seq}, ready to write. */
    static ByteBuffer request(ByteBuffer frame, long seq) {
        frame.clear();
        frame.putLong(0, seq);
        return frame;
    }

    static void writeFully(SocketChannel channel, ByteBuffer frame) throws IOException {
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    /** Fills {@code frame} from a blocking channel; false at the end of the stream before its first byte. */
    static boolean readFully(SocketChannel channel, ByteBuffer frame) throws IOException {
        frame.clear();
        while (frame.hasRemaining()) {
            if (channel.read(frame) < 0) {
                if (frame.position() == 0) {
                    return false;
                }
                throw new EOFException("end of stream inside a frame");
            }
        }
        return true;
    }
}
