package dev.mpchannel.transport.socket;

import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameLimits;
import dev.mpchannel.transport.wire.FrameReader;
import dev.mpchannel.transport.wire.FrameWriter;
import dev.mpchannel.transport.wire.FileDescriptors;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.FileDescriptorCast;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * A connection of mpchannel's own wire: a stream socket, its peer as the kernel reports it (SO_PEERCRED), and frames
 * in and out with their descriptors.
 */
public final class StreamConnection implements Connection {
    /**
     * Asked for room for SCM_RIGHTS with the most descriptors the kernel passes at once (253 x 4 bytes plus headers).
     * junixsocket 2.11.1 keeps its buffer at 256 bytes whatever is asked, which holds 60 descriptors: hence
     * {@code FrameLimits.MAX_RECEIVABLE_FDS}.
     */
    private static final int ANCILLARY_BUFFER_BYTES = 2048;

    private final AFUNIXSocket socket;
    private final Peer peer;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private StreamConnection(AFUNIXSocket socket, Peer peer, FrameLimits limits) throws IOException {
        this.socket = socket;
        this.peer = peer;
        // Must be set before the first read, or descriptors that arrive are discarded by the kernel.
        socket.setAncillaryReceiveBufferSize(ANCILLARY_BUFFER_BYTES);
        this.reader = new FrameReader(socket.getInputStream(), this::takeReceived, limits);
        this.writer = new FrameWriter(socket.getOutputStream(), socket::setOutboundFileDescriptors, limits);
    }

    /** Wraps an accepted or connected socket, identifying the peer by its credentials. */
    static StreamConnection of(AFUNIXSocket socket, long peerId, Role peerRole, FrameLimits limits) throws IOException {
        try {
            AFUNIXSocketCredentials credentials = socket.getPeerCredentials();
            Peer peer = new Peer(peerId, peerRole, credentials.getPid(), credentials.getUid(), credentials.getGid(),
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

    /** Connects to the primary listening at {@code socketPath}. */
    public static StreamConnection connect(Path socketPath, FrameLimits limits) throws IOException {
        AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socketPath.toFile()));
        return of(socket, Peer.PRIMARY_ID, Role.PRIMARY, limits);
    }

    @Override
    public void stallTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public Peer peer() {
        return peer;
    }

    @Override
    public Frame read() throws IOException {
        return reader.read();
    }

    @Override
    public List<Frame> readAvailable() throws IOException {
        return reader.readAvailable();
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
