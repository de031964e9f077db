package dev.mpchannel.bench.harness.handoff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * mpchannel's way: a reader thread blocks in read() on the (blocking) channel and hands each reply to the caller,
 * who waits for it with a {@link ReplySignal} (parked, or spinning first).
 */
final class HandoffRequester implements Requester {
    private final SocketChannel channel;
    private final ReplySignal signal;
    private final ByteBuffer out = ByteBuffer.allocateDirect(EchoFrames.SIZE);
    private final Thread reader;
    // the sequence number of the latest reply the reader handed over; -1 before the first
    private volatile long replied = -1;
    private volatile IOException failure;

    HandoffRequester(SocketChannel channel, boolean spin) {
        this.channel = channel;
        this.signal = new ReplySignal(spin);
        this.reader = new Thread(this::read, "handoff-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        ByteBuffer in = ByteBuffer.allocateDirect(EchoFrames.SIZE);
        try {
            while (EchoFrames.readFully(channel, in)) {
                replied = in.getLong(0);
                signal.signal();
            }
            failure = new IOException("the echo server closed the connection");
        } catch (ClosedChannelException closed) { // also AsynchronousCloseException: close() ended the read
            failure = new IOException("closed");
        } catch (IOException e) {
            failure = e;
        }
        signal.signal();
    }

    @Override
    public long request(long seq) throws IOException {
        EchoFrames.writeFully(channel, EchoFrames.request(out, seq));
        signal.await(() -> replied == seq || failure != null, "reply to request " + seq);
        if (replied != seq) {
            throw new IOException("no reply to request " + seq, failure);
        }
        return replied;
    }

    @Override
    public void close() throws IOException {
        channel.close(); // ends the reader's read()
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
