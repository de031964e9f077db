package dev.mpchannel.transport.wire;

import dev.mpchannel.api.Message;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads frames from a stream socket, pairing each with the file descriptors that came with its bytes.
 * <p>
 * On a stream socket the kernel hands over SCM_RIGHTS descriptors with the read that returns the first byte of the
 * write that carried them, so they can arrive a little before the frame that declares them is complete. The reader
 * keeps them in arrival order and gives a frame the number it declares once the whole frame is read. A frame
 * declaring more than arrived, or descriptors left over when no bytes are pending, break the protocol. Whatever
 * happens, the descriptors this reader holds are closed by {@link #close()}.
 * <p>
 * What a peer can make it hold follows what the peer sent, not what its headers declare: the read buffer of
 * {@value #BUFFER_BYTES} bytes, the frames one read decoded, and one frame in progress whose inline parameters (at most
 * {@code inline.max.bytes}, see {@link FrameCodec#decodeHeader}) grow with their bytes as they arrive.
 * <p>
 * Not thread-safe: one thread at a time reads a connection.
 */
public final class FrameReader implements AutoCloseable {

    /** Where the descriptors received by the latest read come from (junixsocket keeps them per socket). */
    @FunctionalInterface
    public interface ReceivedDescriptors {
        /** The descriptors that arrived with the latest read, or {@code null}; each call takes them. */
        FileDescriptor[] take() throws IOException;
    }

    /** What one read takes from the socket at most: also the most bytes of frames read ahead of their handling. */
    public static final int BUFFER_BYTES = 16 * 1024;

    /**
     * The first array for inline parameters that are not yet all buffered: it grows (doubling) only as their bytes
     * arrive. The default {@code inline.max.bytes} fits in it, so such parameters are copied no more than once.
     */
    static final int FIRST_CHUNK_BYTES = 64 * 1024;

    private final InputStream in;
    private final FrameLimits limits;
    private final SharedSegments segments; // null: no reused segments on this connection (tests)
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int start;
    private int end;
    private final ArrivedDescriptors arrived;
    private byte[] lastName = new byte[0]; // the latest name and its string: a peer mostly repeats a few names
    private String lastAction;
    private IOException deferred; // what broke a frame read after others that were handed out first

    public FrameReader(InputStream in, ReceivedDescriptors received, FrameLimits limits) {
        this(in, received, limits, null);
    }

    /**
     * A reader that takes part in reusing shared-memory segments: it hands the segment scheme's control messages to
     * {@code segments} (they never come out of {@link #read()}), and gives each message that comes in a peer's
     * segment a {@link SegmentLease}.
     */
    public FrameReader(InputStream in, ReceivedDescriptors received, FrameLimits limits, SharedSegments segments) {
        this.in = in;
        this.arrived = new ArrivedDescriptors(received, limits);
        this.limits = limits;
        this.segments = segments;
    }

    /**
     * Reads the next frame, blocking until it is complete, then every frame after it that is already buffered whole:
     * the frames one read brought are decoded before any is handed on, so whoever takes them can take them at once.
     *
     * @return the frames in order, or none if the peer closed the stream between frames
     * @throws FrameException if the peer broke the protocol; when frames before the broken one were read, they are
     *                        returned first and the exception comes with the next call
     * @throws IOException    if the socket failed
     */
    public List<Frame> readAvailable() throws IOException {
        if (deferred != null) {
            throw deferred;
        }
        Frame first = read();
        if (first == null) {
            return List.of();
        }
        if (!wholeFrameBuffered()) {
            return List.of(first);
        }
        List<Frame> frames = new ArrayList<>();
        frames.add(first);
        return decodeBuffered(frames);
    }

    /**
     * Reads what has arrived, without blocking, and returns the whole frames that completes, in order (none if it
     * completes none; the bytes of a frame in progress stay buffered): for a thread that waits for many peers at once
     * and must never wait for one of them. Call it only when the socket is readable (a poll said so). A frame larger
     * than the read buffer cannot be completed this way: {@link #needsBlockingRead()} then says so, and
     * {@link #readAvailable()} finishes it.
     *
     * @return the frames, or {@code null} if the peer closed the stream between frames
     * @throws FrameException if the peer broke the protocol; when frames before the broken one were read, they are
     *                        returned first and the exception comes with the next call
     */
    public List<Frame> readArrived() throws IOException {
        if (deferred != null) {
            throw deferred;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        int room = buffer.length - end;
        if (room == 0) {
            return List.of(); // a frame larger than the buffer: needsBlockingRead()
        }
        // Readable with nothing to read is the end of the stream (or an error), which such a read reports at once.
        int count = readSome(buffer, end, Math.max(1, Math.min(in.available(), room)));
        arrived.collect();
        if (count < 0) {
            if (end == start) {
                arrived.refuseWithoutFrame();
                return null;
            }
            throw new FrameException("peer closed the connection in the middle of a frame (" + (end - start)
                    + " bytes of it read)");
        }
        end += count;
        List<Frame> frames = decodeBuffered(new ArrayList<>());
        if (frames.isEmpty() && deferred != null) {
            IOException broken = deferred;
            deferred = null;
            throw broken;
        }
        return frames;
    }

    /**
     * Adds to {@code frames} every frame whole in the buffer (never a read from the socket: past a control message that
     * would wait for the next frame); a broken one ends it, and its exception comes with the next call.
     */
    private List<Frame> decodeBuffered(List<Frame> frames) {
        try {
            while (wholeFrameBuffered()) {
                Frame next = readFrame();
                if (!taken(next)) {
                    frames.add(next);
                }
            }
        } catch (IOException e) {
            deferred = e;
        }
        return frames;
    }

    /** Whether the frame in progress is larger than the read buffer, so that only a blocking read completes it. */
    public boolean needsBlockingRead() {
        return bufferedFrameBytes() > buffer.length;
    }

    /** Whether no byte of a frame is buffered or waiting in the socket: a reader may stop here and resume later. */
    public boolean drained() throws IOException {
        return end == start && arrived.isEmpty() && in.available() == 0;
    }

    /** Whether the buffer holds a whole frame (reading it then needs no read from the socket). */
    private boolean wholeFrameBuffered() {
        long frameBytes = bufferedFrameBytes();
        return frameBytes >= 0 && end - start >= frameBytes;
    }

    /**
     * The length on the wire of the frame whose header is buffered (as the header declares, not yet checked against
     * the limits: {@link #read()} checks it), or -1 while its header is incomplete.
     */
    private long bufferedFrameBytes() {
        if (end - start < FrameCodec.HEADER_BYTES) {
            return -1;
        }
        int nameLength = Byte.toUnsignedInt(buffer[start + 4]);
        boolean shared = (buffer[start + 7] & FrameCodec.FLAG_SHARED_PARAMS) != 0; // the flags' low byte
        boolean segment = (buffer[start + 7] & FrameCodec.FLAG_SEGMENT) != 0;
        long paramsLength = 0;
        for (int i = 16; i < 20; i++) { // u32, network order
            paramsLength = paramsLength << 8 | Byte.toUnsignedInt(buffer[start + i]);
        }
        long body = shared ? (segment ? FrameCodec.TOKEN_BYTES : 0) : paramsLength;
        return FrameCodec.HEADER_BYTES + nameLength + body;
    }

    /** Whether the frame was a control message of the segment scheme, which the segments took. */
    private boolean taken(Frame frame) {
        return segments != null && segments.take(frame);
    }

    /**
     * Reads the next frame, blocking until it is complete.
     *
     * @return the frame, or {@code null} if the peer closed the stream between frames
     * @throws FrameException if the peer broke the protocol (including closing in the middle of a frame)
     * @throws IOException    if the socket failed
     */
    public Frame read() throws IOException {
        Frame frame;
        do {
            frame = readFrame();
        } while (frame != null && taken(frame));
        return frame;
    }

    /** The next frame, whatever it is; {@code null} if the peer closed the stream between frames. */
    private Frame readFrame() throws IOException {
        if (!fill(FrameCodec.HEADER_BYTES, true)) {
            return null;
        }
        FrameHeader header = FrameCodec.decodeHeader(buffer, start, limits);
        start += FrameCodec.HEADER_BYTES;
        fill(header.nameLength(), false);
        String action = decodeName(header.nameLength());
        start += header.nameLength();

        if (header.sharedParams()) {
            // the parameters are in the file behind the first descriptor; the body ends with the name, or with the
            // segment's token after it
            long token = 0;
            if (header.segment()) {
                fill(FrameCodec.TOKEN_BYTES, false);
                token = ByteBuffer.wrap(buffer, start, FrameCodec.TOKEN_BYTES).getLong();
                start += FrameCodec.TOKEN_BYTES;
            }
            List<FileDescriptor> fds = arrived.take(header.fileDescriptorCount());
            checkNoneLeftOver(fds);
            return SharedParams.receive(header, action, token, fds, segments);
        }

        byte[] params = readParams(header.paramsLength());

        List<FileDescriptor> fds = arrived.take(header.fileDescriptorCount());
        checkNoneLeftOver(fds);
        // the array is this frame's alone: wrap it rather than copy it again
        Message message = Message.of(action, ByteBuffer.wrap(params));
        if (!fds.isEmpty()) {
            message = message.withFileDescriptors(fds);
        }
        return new Frame(header.kind(), header.requestId(), message);
    }

    /** The name at {@code start}: the previous frame's string when the bytes are the same (no decoding, no copy). */
    private String decodeName(int length) throws FrameException {
        if (!Arrays.equals(buffer, start, start + length, lastName, 0, lastName.length)) {
            lastAction = FrameCodec.decodeName(ByteBuffer.wrap(buffer, start, length));
            lastName = Arrays.copyOfRange(buffer, start, start + length);
        }
        return lastAction;
    }

    /** With no byte of a next frame buffered, every descriptor that arrived must have gone to a frame. */
    private void checkNoneLeftOver(List<FileDescriptor> taken) throws FrameException {
        if (start == end && !arrived.isEmpty()) {
            FileDescriptors.closeAll(taken);
            throw new FrameException(arrived.size() + " more file descriptor(s) arrived than the frame declared ("
                    + taken.size() + ")");
        }
    }

    /** Closes the descriptors that arrived but were not handed out with a frame. The stream is the caller's. */
    @Override
    public void close() {
        arrived.close();
    }

    private boolean fill(int needed, boolean atFrameStart) throws IOException {
        while (end - start < needed) {
            if (buffer.length - start < needed) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            int count = readSome(buffer, end, buffer.length - end);
            arrived.collect();
            if (count < 0) {
                if (atFrameStart && end == start) {
                    arrived.refuseWithoutFrame();
                    return false;
                }
                throw new FrameException("peer closed the connection in the middle of a frame ("
                        + (end - start) + " of at least " + needed + " bytes read)");
            }
            end += count;
        }
        return true;
    }

    /**
     * The inline parameters: those already buffered are copied once into an array of their exact length; the rest is
     * read into an array that starts at {@value #FIRST_CHUNK_BYTES} bytes and doubles as bytes arrive, up to the
     * declared length. So what a peer makes this side allocate follows what it sent, never what its header claims.
     */
    private byte[] readParams(int length) throws IOException {
        int filled = Math.min(end - start, length);
        byte[] params = new byte[filled == length ? length : Math.min(length, Math.max(filled, FIRST_CHUNK_BYTES))];
        System.arraycopy(buffer, start, params, 0, filled);
        start += filled;
        int held = arrived.size();
        while (filled < length) {
            if (filled == params.length) {
                params = Arrays.copyOf(params, (int) Math.min(length, 2L * params.length));
            }
            int count = readSome(params, filled, params.length - filled);
            arrived.collect();
            if (arrived.size() > held) {
                // these reads stop at the frame's end, and the kernel hands a write's descriptors over with its first
                // byte: only a peer piling up descriptors (each read could bring 253) sends them here
                throw new FrameException((arrived.size() - held)
                        + " file descriptor(s) arrived in the middle of a frame's parameters, not with a frame's start");
            }
            if (count < 0) {
                throw new FrameException("peer closed the connection in the middle of the parameters ("
                        + filled + " of " + length + " bytes read)");
            }
            filled += count;
        }
        return params;
    }

    /**
     * One read; a timeout only means the peer was quiet. (The socket's timeout is there to bound writes to a peer
     * that stopped reading, and the kernel applies it to reads as well; nothing is consumed when it fires.)
     */
    private int readSome(byte[] target, int offset, int length) throws IOException {
        while (true) {
            try {
                return in.read(target, offset, length);
            } catch (SocketTimeoutException quiet) {
                // keep waiting
            }
        }
    }
}
