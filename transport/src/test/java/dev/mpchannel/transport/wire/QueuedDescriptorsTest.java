package dev.mpchannel.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpchannel.api.Message;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * The reader refuses more than two frames' worth of descriptors waiting for their frames. That rests on the kernel:
 * a read of a stream socket brings the descriptors of one write at most. Here many writes, each a frame with the most
 * descriptors, wait in a real socket before the reader reads: every frame gets its own, none is refused.
 */
class QueuedDescriptorsTest {
    private static final FrameLimits LIMITS = new FrameLimits(4096, 4, 4096);

    @TempDir
    Path dir;

    @Test
    void framesWithDescriptorsQueuedInTheSocketAreReadOneWriteAtATime() throws IOException {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
                FileInputStream file = new FileInputStream(Files.writeString(dir.resolve("f"), "x").toFile())) {
            AFUNIXSocketChannel writer = pair.getSocket1();
            AFUNIXSocketChannel readerSide = pair.getSocket2();
            readerSide.setAncillaryReceiveBufferSize(1024);
            int frames = 50;
            for (int i = 0; i < frames; i++) {
                byte[] frame = FrameCodec.encode(Frame.message(Message.of("queued", "n" + i)));
                frame[5] = 4; // the same descriptor four times: four received descriptors
                writer.setOutboundFileDescriptors(file.getFD(), file.getFD(), file.getFD(), file.getFD());
                ByteBuffer bytes = ByteBuffer.wrap(frame);
                while (bytes.hasRemaining()) {
                    writer.write(bytes);
                }
            }
            // junixsocket keeps what it received and closes it with the socket: the frames' descriptors are its own
            FrameReader reader = new FrameReader(Channels.newInputStream(readerSide),
                    readerSide::getReceivedFileDescriptors, LIMITS);
            for (int i = 0; i < frames; i++) {
                Frame frame = reader.read();
                assertEquals("n" + i, frame.message().paramsAsString());
                assertEquals(4, frame.message().fileDescriptors().size());
            }
        }
    }
}
