package dev.mpchannel.transport.channel;

import dev.mpchannel.transport.socket.Listener;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary's accept loop: every secondary that connects gets the next peer id and is attached to the channel. Peer
 * ids come from one counter for the whole process (0 is the primary's), so a {@code Peer} of another channel, or of an
 * earlier configuration of this one, never names a secondary connected now.
 */
public final class Acceptor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);

    private final Listener listener;
    private final ChannelRuntime runtime;
    /** The last id given to a secondary by any acceptor of this process. */
    private static final AtomicLong LAST_PEER_ID = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;

    private Acceptor(Listener listener, ChannelRuntime runtime) {
        this.listener = listener;
        this.runtime = runtime;
        this.thread = new Thread(this::acceptSecondaries, "mpchannel-accept-" + listener.paths().prefix());
        thread.setDaemon(true);
    }

    /** Accepts secondaries on {@code listener} for {@code runtime} until closed; the acceptor owns the listener. */
    public static Acceptor start(Listener listener, ChannelRuntime runtime) {
        Acceptor acceptor = new Acceptor(listener, runtime);
        acceptor.thread.start();
        return acceptor;
    }

    /**
     * Stops accepting and closes the channel: the listener (removing the socket file and releasing the lock), then
     * every secondary's connection.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        stopping = true;
        try {
            listener.close(); // wakes the accepting thread
        } finally {
            runtime.close();
            thread.join(2000);
        }
    }

    private void acceptSecondaries() {
        while (!stopping) {
            try {
                runtime.attach(listener.accept(LAST_PEER_ID.incrementAndGet(), runtime.limits()));
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                // a secondary that vanished between connect and accept costs only itself
                LOG.warn("could not accept a secondary: {}", e.toString());
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50); // not a busy loop if accept keeps failing (e.g. out of file descriptors)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
