package dev.mpchannel.transport.dpdk;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.socket.AncillaryReceiveBuffer;
import dev.mpchannel.transport.socket.Connection;
import dev.mpchannel.transport.socket.FrameRefusedException;
import dev.mpchannel.transport.socket.PeerCredentials;
import dev.mpchannel.transport.text.Printable;
import dev.mpchannel.transport.wire.FileDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameKind;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secondary's link to a DPDK primary over DPDK's own wire: a datagram socket bound where DPDK looks for its
 * secondaries ({@code mp_socket_<pid>_<n>}) and connected to the primary's {@code mp_socket}. It turns datagrams into
 * the channel's frames and back. DPDK carries no request id, so it keeps the names: a request of ours is known by its
 * action name until its answer comes (one per name at a time: a late answer can then never be taken for the next
 * request's), and a request of the primary's by a local id that its answer is sent back under.
 */
public final class DpdkConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(DpdkConnection.class);
    private static final AtomicLong SOCKETS = new AtomicLong();
    private static final int RECEIVE_BUFFER = 4096;

    private final DpdkPaths paths;
    private final DpdkLayout layout;
    private final AFUNIXDatagramSocket socket;
    private final Path ownPath;
    private final PeerCredentials peer;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final byte[] buffer = new byte[RECEIVE_BUFFER];
    /**
     * Guards the names below, and only them: held for no system call, so the reader, which needs it to turn a
     * datagram into a frame, never waits for a writer blocked on a full queue at the primary.
     */
    private final Object names = new Object();
    /** Makes a datagram and its descriptors one send (junixsocket keeps outbound descriptors per socket). */
    private final Object sending = new Object();
    /** Requests of ours in flight, by action name: the frame's request id. */
    private final Map<String, Long> ours = new HashMap<>();
    /** Requests of the primary's waiting for our answer, by the local id they were handed on under. */
    private final Map<Long, String> theirs = new HashMap<>();
    private long lastTheirs;

    private DpdkConnection(DpdkPaths paths, DpdkLayout layout, AFUNIXDatagramSocket socket, Path ownPath, PeerCredentials peer) {
        this.paths = paths;
        this.layout = layout;
        this.socket = socket;
        this.ownPath = ownPath;
        this.peer = peer;
    }

    /** Binds this process's socket in the DPDK application's runtime directory and connects it to the primary. */
    public static DpdkConnection connect(DpdkPaths paths, DpdkLayout layout) throws IOException {
        Path own = paths.secondarySocket(ProcessHandle.current().pid(), SOCKETS.incrementAndGet());
        Files.deleteIfExists(own);
        AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
        try {
            socket.setDeleteOnClose(true);
            socket.bind(AFUNIXSocketAddress.of(own.toFile())); // as spelled, never canonicalised
            socket.connect(AFUNIXSocketAddress.of(paths.primarySocket().toFile()));
            // Before the first read: room for the most descriptors the kernel passes, so none can ever be cut off.
            AncillaryReceiveBuffer.install(socket);
            PeerCredentials primary = new PeerCredentials(Peer.PRIMARY_ID, Role.PRIMARY, PrimaryProcess.pid(paths.config()),
                    PrimaryProcess.owner(paths.primarySocket()), PrimaryProcess.group(paths.primarySocket()),
                    Instant.now());
            return new DpdkConnection(paths, layout, socket, own, primary);
        } catch (IOException | RuntimeException e) {
            socket.close();
            Files.deleteIfExists(own);
            throw e;
        }
    }

    @Override
    public PeerCredentials credentials() {
        return peer;
    }

    /** This side's socket file. */
    public Path path() {
        return ownPath;
    }

    /**
     * The next datagram as a frame. A datagram that DPDK would not send is logged and dropped with its descriptors: a
     * foreign sender cannot end this reader. (A dead primary does not end it either: its socket file lives on; the
     * connect loop closes this connection when the primary's lock is released.)
     */
    @Override
    public Frame read() throws IOException {
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException quiet) {
                continue; // the timeout bounds writes (stallTimeout); the kernel applies it to reads too
            }
            List<FileDescriptor> fds = owned(socket.getReceivedFileDescriptors());
            String problem;
            try {
                DpdkMessage datagram = DpdkMessage.decode(buffer, packet.getLength(), layout);
                if (datagram.numFds() == fds.size()) {
                    Frame frame = toFrame(datagram, fds);
                    if (frame != null) {
                        return frame;
                    }
                    continue;
                }
                problem = "it declared " + datagram.numFds() + " file descriptor(s)";
            } catch (DpdkMessageException e) {
                problem = e.getMessage();
            }
            FileDescriptors.closeAll(fds);
            LOG.warn("dropped a datagram from the DPDK primary (pid {}, uid {}) at {}: {}; {} arrived with it, DPDK {} "
                    + "allows {}; all closed", peer.pid(), peer.uid(), paths.primarySocket(), problem, fds.size(),
                    layout.version(), layout.maxFds());
        }
    }

    /**
     * The received descriptors made this side's own (junixsocket closes its copies with the socket); if one cannot
     * be, none is kept open.
     */
    static List<FileDescriptor> owned(FileDescriptor[] got) throws IOException {
        List<FileDescriptor> owned = new ArrayList<>();
        if (got == null) {
            return owned;
        }
        try {
            for (FileDescriptor fd : got) {
                owned.add(FileDescriptorCast.duplicating(fd).as(FileDescriptor.class));
            }
        } catch (IOException | RuntimeException e) {
            FileDescriptors.closeAll(owned);
            throw e;
        } finally {
            FileDescriptors.closeAll(List.of(got));
        }
        return owned;
    }

    private Frame toFrame(DpdkMessage datagram, List<FileDescriptor> fds) {
        Message message = Message.of(datagram.name(), datagram.param())
                .withFileDescriptors(fds.toArray(FileDescriptor[]::new));
        return switch (datagram.type()) {
            case MESSAGE -> Frame.message(message);
            case REQUEST -> {
                long id;
                synchronized (names) {
                    id = ++lastTheirs;
                    theirs.put(id, datagram.name());
                }
                yield Frame.request(id, message);
            }
            case REPLY, IGNORE -> {
                Long id;
                synchronized (names) {
                    id = ours.remove(datagram.name());
                }
                if (id == null) {
                    LOG.debug("an answer for '{}' that no request of ours waits for; dropped", Printable.escape(datagram.name()));
                    FileDescriptors.closeAll(fds);
                    yield null;
                }
                // an IGNORED frame carries no descriptors: close any that came with the MP_IGN
                FileDescriptors.closeAll(datagram.type() == DpdkMessage.Type.IGNORE ? fds : List.of());
                yield datagram.type() == DpdkMessage.Type.REPLY ? Frame.reply(id, message)
                        : Frame.refusal(FrameKind.IGNORED, id, datagram.name(),
                                "the DPDK primary ignored it (no action '" + datagram.name() + "' there)");
            }
        };
    }

    /**
     * Sends a frame as DPDK's datagram. A failed action's answer goes out as {@code MP_IGN}: DPDK has no failure
     * answer, and ignoring takes this peer out of the requester's count instead of handing it a reply.
     */
    @Override
    public void write(Frame frame) throws IOException {
        Message message = frame.message();
        String problem = DpdkMessage.check(message.action(), message.paramsLength(), message.fileDescriptors().size(),
                layout);
        if (problem != null) {
            throw new FrameRefusedException(problem);
        }
        DpdkMessage.Type type;
        String name = message.action();
        switch (frame.kind()) {
            case MESSAGE -> type = DpdkMessage.Type.MESSAGE;
            case REQUEST -> type = DpdkMessage.Type.REQUEST;
            case REPLY, IGNORED, FAILED -> {
                synchronized (names) {
                    name = theirs.remove(frame.requestId()); // DPDK takes the answer under the request's name only
                }
                if (name == null) {
                    return;
                }
                type = frame.kind() == FrameKind.REPLY ? DpdkMessage.Type.REPLY : DpdkMessage.Type.IGNORE;
                if (frame.kind() == FrameKind.FAILED) {
                    LOG.warn("action '{}' failed on the DPDK primary's request; answered MP_IGN: {}",
                            Printable.escape(name), Printable.escape(message.paramsAsString()));
                }
            }
            default -> throw new IOException("no DPDK datagram for a " + frame.kind() + " frame");
        }
        byte[] param = new byte[message.paramsLength()];
        message.paramsBuffer().duplicate().get(param);
        List<FileDescriptor> fds = type == DpdkMessage.Type.IGNORE ? List.of() : message.fileDescriptors();
        byte[] datagram = new DpdkMessage(type, name, param, fds.size()).encode(layout);
        if (type == DpdkMessage.Type.REQUEST) {
            synchronized (names) {
                if (ours.putIfAbsent(name, frame.requestId()) != null) { // before sending: the answer may come at once
                    throw new FrameRefusedException("a request for '" + name + "' to the DPDK primary is still "
                            + "unanswered; DPDK matches answers by action name only, so another cannot be told apart "
                            + "from it (it goes when that answer comes, or the channel reconnects)");
                }
            }
        }
        try {
            synchronized (sending) {
                if (!fds.isEmpty()) {
                    socket.setOutboundFileDescriptors(fds.toArray(FileDescriptor[]::new));
                }
                socket.send(new DatagramPacket(datagram, datagram.length));
            }
        } catch (IOException | RuntimeException e) {
            if (type == DpdkMessage.Type.REQUEST) {
                synchronized (names) {
                    ours.remove(name, frame.requestId());
                }
            }
            throw e;
        }
    }

    /** Bounds a send that makes no progress (the primary's queue stays full): the primary is then taken for stuck. */
    @Override
    public void stallTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    /** Closes the socket and removes its file, so the primary's broadcasts stop looking for this peer. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            socket.close();
            try {
                Files.deleteIfExists(ownPath);
            } catch (IOException e) {
                LOG.debug("could not remove {}: {}", ownPath, e.toString());
            }
        }
    }

    @Override
    public void releaseReceived() {
        socket.clearReceivedFileDescriptors();
    }

    @Override
    public String toString() {
        return peer + " at " + paths.primarySocket();
    }
}
