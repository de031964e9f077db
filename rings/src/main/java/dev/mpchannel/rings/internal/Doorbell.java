package dev.mpchannel.rings.internal;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * One end of a ring's doorbell: a connected pair of AF_UNIX stream sockets, one end with the writer, one with the
 * reader. Each byte the writer sends means "look at the ring"; end of file means the other side closed it or died.
 * An eventfd would do the same, but Java 17 cannot create one without native code of its own, and a connected pair
 * of stream sockets is what junixsocket (already needed for the descriptors) gives and what a C peer reads and writes
 * as a plain descriptor.
 */
final class Doorbell implements Closeable {
    private static final SecureRandom NAMES = new SecureRandom();
    private final AFUNIXSocketChannel socket;
    /** A received descriptor: junixsocket's socket over it shuts it down on close but leaves closing it to us. */
    private final FileDescriptor received;
    private final ByteBuffer one = ByteBuffer.allocateDirect(1).put(0, (byte) 1);
    private final ByteBuffer drain = ByteBuffer.allocateDirect(64);

    private Doorbell(AFUNIXSocketChannel socket, FileDescriptor received) {
        this.socket = socket;
        this.received = received;
    }

    /**
     * A new doorbell: this side's end, and in {@code peerEnd} the end for the peer, to drop with
     * {@link #dropSent} once sent. The two ends are connected through a listening socket with a random name in the
     * abstract namespace (no file, gone when closed), accepted only from this process: junixsocket's own
     * {@code AFUNIXSocketPair} leaves two descriptors open per pair (2.11.1).
     */
    static Doorbell open(AFUNIXSocketChannel[] peerEnd, boolean writer) throws IOException {
        long pid = ProcessHandle.current().pid();
        String name = "mpchannel-doorbell-" + pid + "-" + Long.toHexString(NAMES.nextLong())
                + Long.toHexString(NAMES.nextLong());
        AFUNIXSocketAddress address = AFUNIXSocketAddress.inAbstractNamespace(name);
        AFUNIXSocketChannel ours = null;
        try (AFUNIXServerSocketChannel server = AFUNIXServerSocketChannel.open()) {
            server.bind(address, 1);
            ours = AFUNIXSocketChannel.open(address);
            AFUNIXSocketChannel theirs = server.accept();
            if (theirs.getPeerCredentials().getPid() != pid) {
                theirs.close(); // another process got in between: not our end
                throw new IOException("a doorbell's socket was reached by another process");
            }
            peerEnd[0] = theirs;
            return configured(ours, null, writer);
        } catch (IOException | RuntimeException e) {
            if (ours != null) {
                ours.close();
            }
            throw e;
        }
    }

    /**
     * Drops this process's descriptor of an end sent to the peer, leaving the peer's copy working. Closing the socket
     * object would shut the socket down first (junixsocket does), which ends it for the peer too; with its descriptor
     * closed first, there is nothing left to shut down.
     */
    static void dropSent(AFUNIXSocketChannel sent) throws IOException {
        try {
            new FileInputStream(sent.getFileDescriptor()).close();
        } finally {
            sent.close();
        }
    }

    /** This side's end from a received descriptor, which it then owns. */
    static Doorbell of(FileDescriptor fd, boolean writer) throws IOException {
        FileDescriptorCast cast = FileDescriptorCast.using(fd);
        if (!cast.isAvailable(AFUNIXSocketChannel.class)) {
            new FileInputStream(fd).close();
            throw new IOException("the ring's doorbell is not an AF_UNIX socket");
        }
        return configured(cast.as(AFUNIXSocketChannel.class), fd, writer);
    }

    /**
     * The writer's end never blocks: a reader that keeps saying it parks without reading could otherwise fill the
     * socket and hold the writer; a full socket means bytes are waiting to wake it anyway.
     */
    private static Doorbell configured(AFUNIXSocketChannel socket, FileDescriptor received, boolean writer)
            throws IOException {
        socket.configureBlocking(!writer);
        return new Doorbell(socket, received);
    }

    /** Rings: one byte (dropped if the socket is full, which already holds a wake-up). */
    void ring() throws IOException {
        one.clear();
        socket.write(one);
    }

    /**
     * Waits for the bell and takes what rang.
     *
     * @return false at end of file: the other end is closed (the peer closed the pair, or died)
     */
    boolean await() throws IOException {
        drain.clear();
        return socket.read(drain) > 0;
    }

    boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes this end; a reader blocked in {@link #await} returns. */
    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            if (received != null && received.valid()) {
                new FileInputStream(received).close();
            }
        }
    }
}
