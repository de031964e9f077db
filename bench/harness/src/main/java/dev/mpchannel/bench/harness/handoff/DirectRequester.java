package dev.mpchannel.bench.harness.handoff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The lower bound: the caller writes its request and reads its reply itself from a blocking channel. */
final class DirectRequester implements Requester {
    private final SocketChannel channel;
    private final ByteBuffer out = ByteBuffer.allocateDirect(EchoFrames.SIZE);
    private final ByteBuffer in = ByteBuffer.allocateDirect(EchoFrames.SIZE);

    DirectRequester(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public long request(long seq) throws IOException {
        EchoFrames.writeFully(channel, EchoFrames.request(out, seq));
        if (!EchoFrames.readFully(channel, in)) {
            throw new IOException("the echo server closed the connection");
        }
        return in.getLong(0);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
