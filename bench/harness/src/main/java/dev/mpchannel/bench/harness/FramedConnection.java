package dev.mpchannel.bench.harness;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One stream connection of the {@link PingPong} baselines, either implementation: reads into a buffer, writes whole
 * frames (an 8-byte header, kind and length, then the payload), optionally with a descriptor.
 */
abstract class FramedConnection implements AutoCloseable {
    /** Frame kinds, and the header's size: kind and payload length, 4 bytes each. */
    static final int ECHO = 1;
    static final int ONEWAY = 2;
    static final int SYNC = 3;
    static final int HEADER = 8;

    private byte[] in = new byte[64 * 1024];
    private int start;
    private int end;
    private byte[] out = new byte[64 * 1024];
    private byte[] payload = new byte[0];
    int kind;
    int length;

    abstract int read(byte[] b, int off, int len) throws IOException;

    abstract void write(byte[] b, int len, FileDescriptor fd) throws IOException;

    @Override
    public abstract void close() throws IOException;

    /** Closes the descriptors the latest reads brought; returns how many. */
    int closeReceived() throws IOException {
        return 0;
    }

    /** Reads the next frame's header and payload (into {@link #payload()}); false at end of stream. */
    boolean next() throws IOException {
        if (!fill(HEADER)) {
            return false;
        }
        ByteBuffer header = ByteBuffer.wrap(in, start, HEADER);
        kind = header.getInt();
        length = header.getInt();
        start += HEADER;
        if (payload.length < length) {
            payload = new byte[length];
        }
        int buffered = Math.min(end - start, length);
        System.arraycopy(in, start, payload, 0, buffered);
        start += buffered;
        for (int done = buffered; done < length;) {
            int n = read(payload, done, length - done);
            if (n < 0) {
                throw new IOException("end of stream inside a frame");
            }
            done += n;
        }
        return true;
    }

    byte[] payload() {
        return payload;
    }

    private boolean fill(int needed) throws IOException {
        while (end - start < needed) {
            if (in.length - start < needed) {
                System.arraycopy(in, start, in, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = read(in, end, in.length - end);
            if (n < 0) {
                if (end == start) {
                    return false;
                }
                throw new IOException("end of stream inside a header");
            }
            end += n;
        }
        return true;
    }

    void send(int frameKind, byte[] body, int bodyLength, FileDescriptor fd) throws IOException {
        if (out.length < HEADER + bodyLength) {
            out = new byte[HEADER + bodyLength];
        }
        ByteBuffer.wrap(out).putInt(frameKind).putInt(bodyLength);
        System.arraycopy(body, 0, out, HEADER, bodyLength);
        write(out, HEADER + bodyLength, fd);
    }
}
