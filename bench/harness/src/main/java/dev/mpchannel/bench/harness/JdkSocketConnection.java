package dev.mpchannel.bench.harness;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The JDK's own Unix domain SocketChannel (Java 16+, blocking): no descriptor passing. */
final class JdkSocketConnection extends FramedConnection {
    private final SocketChannel channel;

    JdkSocketConnection(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    int read(byte[] b, int off, int len) throws IOException {
        return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    void write(byte[] b, int len, FileDescriptor fd) throws IOException {
        if (fd != null) {
            throw new IOException("the JDK's SocketChannel cannot pass file descriptors");
        }
        ByteBuffer buffer = ByteBuffer.wrap(b, 0, len);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
