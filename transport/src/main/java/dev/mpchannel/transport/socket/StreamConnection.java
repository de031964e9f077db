package dev.mpchannel.transport.socket;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.wire.FileDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameException;
import dev.mpchannel.transport.wire.FrameLimits;
import dev.mpchannel.transport.wire.FrameReader;
import dev.mpchannel.transport.wire.FrameWriter;
import dev.mpchannel.transport.wire.SharedSegments;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A connection of mpchannel's own wire: a stream socket, its peer as the kernel reports it (SO_PEERCRED), and frames
 * in and out with their descriptors.
 */
public final class StreamConnection implements Connection {
    private final AFUNIXSocket socket;
    private final PeerCredentials peer;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final SharedSegments segments = new SharedSegments(); // reused shared memory, both ways
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** The most descriptors one message may bring: max.fds, and one more for shared parameters. */
    private final int mostPerMessage;
    private final int allowed;
    /** How many descriptors arrived since frames were last handed out. */
    private int arrived;
    /** Whether a message brought more than any frame may carry: the frame that takes them is refused. */
    private boolean excess;

    private StreamConnection(AFUNIXSocket socket, PeerCredentials peer, FrameLimits limits) throws IOException {
        this.socket = socket;
        this.peer = peer;
        this.allowed = limits.maxFileDescriptors();
        this.mostPerMessage = allowed + 1;
        // Before the first read: room for the most descriptors the kernel passes, so none can ever be cut off.
        AncillaryReceiveBuffer.install(socket);
        this.reader = new FrameReader(socket.getInputStream(), this::takeReceived, limits, segments);
        this.writer = new FrameWriter(socket.getOutputStream(), socket::setOutboundFileDescriptors, limits, segments);
    }

    /** Wraps an accepted or connected socket, identifying the peer by its credentials. */
    static StreamConnection of(AFUNIXSocket socket, long peerId, Role peerRole, FrameLimits limits) throws IOException {
        try {
            AFUNIXSocketCredentials credentials = socket.getPeerCredentials();
            PeerCredentials peer = new PeerCredentials(peerId, peerRole, credentials.getPid(), credentials.getUid(), credentials.getGid(),
                    Instant.now());
            return new StreamConnection(socket, peer, limits);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * The descriptors that came with the latest read, made the receiver's own. junixsocket keeps the descriptors it
     * received and closes them when the socket closes; an action may keep a descriptor long after its sender is gone
     * (a memory region, an eventfd), so each is swapped for a duplicate that only its receiver closes.
     */
    private FileDescriptor[] takeReceived() throws IOException {
        FileDescriptor[] received = socket.getReceivedFileDescriptors();
        if (received == null || received.length == 0) {
            return received;
        }
        arrived += received.length;
        if (excess || (arrived > received.length && arrived > 2 * mostPerMessage)) {
            // legitimately at most the frame being read and the next bring descriptors before a frame is handed out
            FileDescriptors.closeAll(List.of(received));
            throw new Refusal(describe("descriptors kept coming before a frame took them"));
        }
        excess = received.length > mostPerMessage;
        List<FileDescriptor> owned = new ArrayList<>(received.length);
        try {
            for (FileDescriptor fd : received) {
                owned.add(FileDescriptorCast.duplicating(fd).as(FileDescriptor.class));
            }
        } catch (IOException | RuntimeException e) {
            FileDescriptors.closeAll(owned);
            throw e;
        } finally {
            FileDescriptors.closeAll(List.of(received));
        }
        return owned.toArray(new FileDescriptor[0]);
    }

    /**
     * Connects to the primary listening at {@code socketPath}. A failed attempt closes its socket (junixsocket's
     * {@code connectTo} leaves it to the garbage collector: one socket per attempt while the primary is away).
     */
    public static StreamConnection connect(Path socketPath, FrameLimits limits) throws IOException {
        AFUNIXSocket socket = AFUNIXSocket.newInstance();
        try {
            socket.connect(AFUNIXSocketAddress.of(socketPath.toFile()));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return of(socket, dev.mpchannel.api.Peer.PRIMARY_ID, Role.PRIMARY, limits);
    }

    @Override
    public void stallTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public PeerCredentials credentials() {
        return peer;
    }

    @Override
    public Frame read() throws IOException {
        try {
            Frame frame = reader.read();
            checked(frame == null ? List.of() : List.of(frame));
            return frame;
        } catch (FrameException e) {
            throw described(e);
        }
    }

    @Override
    public List<Frame> readAvailable() throws IOException {
        try {
            return checked(reader.readAvailable());
        } catch (FrameException e) {
            throw described(e);
        }
    }

    @Override
    public FileDescriptor readinessDescriptor() throws IOException {
        return socket.getFileDescriptor();
    }

    @Override
    public List<Frame> readArrived() throws IOException {
        try {
            List<Frame> frames = reader.readArrived();
            return frames == null ? null : checked(frames);
        } catch (FrameException e) {
            throw described(e);
        }
    }

    @Override
    public boolean needsBlockingRead() {
        return reader.needsBlockingRead();
    }

    @Override
    public boolean drained() throws IOException {
        return reader.drained();
    }

    /**
     * Refuses the frames if a message brought more descriptors than any frame may carry (their reader may have
     * handed them out all the same, when bytes of a further frame followed): their descriptors are closed.
     */
    private List<Frame> checked(List<Frame> frames) throws FrameException {
        if (excess) {
            int declared = frames.isEmpty() ? 0 : frames.get(frames.size() - 1).message().fileDescriptors().size();
            for (Frame frame : frames) {
                FileDescriptors.closeAll(frame.message().fileDescriptors());
            }
            throw new Refusal(describe("a frame declared " + declared + " file descriptor(s)"));
        }
        if (!frames.isEmpty()) {
            arrived = 0;
        }
        return frames;
    }

    /** The reader's finding, with who sent it and, when it is about descriptors, the counts. */
    private FrameException described(FrameException e) {
        if (e instanceof Refusal) {
            return e;
        }
        String message = e.getMessage();
        return new Refusal(excess || arrived > 0 || message.contains("descriptor") ? describe(message)
                : "uid " + peer.uid() + ": " + message);
    }

    /** A finding already described with the sender and the counts. */
    private static final class Refusal extends FrameException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message);
        }
    }

    private String describe(String finding) {
        return "uid " + peer.uid() + ": " + finding + "; " + arrived + " arrived with its message, max.fds allows "
                + allowed + "; all closed";
    }

    @Override
    public void write(Frame frame) throws IOException {
        writer.write(frame);
    }

    @Override
    public void write(List<Frame> frames) throws IOException {
        writer.write(frames);
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            segments.close();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    @Override
    public void releaseReceived() {
        reader.close();
    }

    @Override
    public String toString() {
        return peer.toString();
    }
}
