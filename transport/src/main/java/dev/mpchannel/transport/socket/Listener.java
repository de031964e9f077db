package dev.mpchannel.transport.socket;

import dev.mpchannel.api.Role;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Files;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The primary's listening socket. It owns the {@link PrimaryLock}: the lock, not the socket file, says whether a
 * primary is alive, so a second primary refuses to start and never unlinks a live socket, while a socket left by a
 * crashed primary (whose lock the kernel released) is replaced.
 */
public final class Listener implements AutoCloseable {
    private final SocketPaths paths;
    private final PrimaryLock lock;
    private final AtomicInteger accepting = new AtomicInteger();
    private volatile boolean closing;
    private final AFUNIXServerSocket server;

    private Listener(SocketPaths paths, PrimaryLock lock, AFUNIXServerSocket server) {
        this.paths = paths;
        this.lock = lock;
        this.server = server;
    }

    /**
     * Checks (or creates) the socket directory, takes the primary's lock and listens on the socket, with the
     * file-system access given. A socket left by a dead primary is replaced; nothing else found under the socket's
     * name is removed. After the socket is bound, the directory is checked again: its path must still name the
     * directory that was checked first.
     *
     * @throws PrimaryAliveException if another primary holds the lock for these paths
     * @throws UnsafePathException   if the directory, the lock file or what is at the socket's path is not this
     *                               process's own to use (one line: what was found and what to do)
     */
    public static Listener bind(SocketPaths paths, SocketAccess access) throws IOException {
        SocketDirectory directory = SocketDirectory.open(paths.directory(), access);
        PrimaryLock lock = PrimaryLock.tryTake(paths, directory).orElseThrow(() -> new PrimaryAliveException(
                "a primary is already running for channel '" + paths.prefix() + "' (it holds " + paths.lock()
                        + "); a channel has one primary: run this process as a secondary (or with role=auto), or "
                        + "choose another prefix"));
        AFUNIXServerSocket server = null;
        try {
            // We hold the lock, so a socket of ours here is stale: its primary died without removing it.
            directory.removeStaleSocket(paths.socket().getFileName().toString());
            server = AFUNIXServerSocket.newInstance();
            server.bind(AFUNIXSocketAddress.of(paths.socket().toFile()));
            access.apply(paths.socket(), access.socketMode());
            directory.recheck();
            return new Listener(paths, lock, server);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            lock.close();
            throw e;
        }
    }

    public SocketPaths paths() {
        return paths;
    }

    /**
     * Blocks for the next secondary and identifies it; throws once the listener is closed.
     *
     * @param peerId the id the new secondary will be known by
     */
    public StreamConnection accept(long peerId, FrameLimits limits) throws IOException {
        AFUNIXSocket socket;
        accepting.incrementAndGet(); // before the closing check, so close() cannot miss this call
        try {
            if (closing) {
                throw new SocketException("the listener is closed");
            }
            socket = server.accept();
        } finally {
            accepting.decrementAndGet();
        }
        if (closing) {
            socket.close();
            throw new SocketException("the listener is closed");
        }
        return StreamConnection.of(socket, peerId, Role.SECONDARY, limits);
    }

    /** Stops listening, removes the socket file and releases the lock (the lock file stays: see class comment). */
    @Override
    public void close() throws IOException {
        closing = true;
        try {
            wakeAcceptors();
            server.close();
            Files.deleteIfExists(paths.socket());
        } finally {
            lock.close();
        }
    }

    /**
     * junixsocket leaks a descriptor when a server socket is closed under a blocked accept() (seen with 2.11.1: one
     * per close), so a thread blocked there is woken with a connection of our own, which it drops, before closing.
     */
    private void wakeAcceptors() {
        for (int attempt = 0; attempt < 100 && accepting.get() > 0; attempt++) {
            // made first, then connected: a failed connectTo would leave its socket to the garbage collector
            try (AFUNIXSocket wake = AFUNIXSocket.newInstance()) {
                wake.connect(AFUNIXSocketAddress.of(paths.socket().toFile()));
                // connected: the acceptor returns, sees closing, and closes its end
            } catch (IOException e) {
                return; // nobody can be woken this way; close anyway
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
