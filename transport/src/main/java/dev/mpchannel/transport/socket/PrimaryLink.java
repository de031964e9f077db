package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a secondary reaches its primary on one wire: what the connect loop needs to know of it, so that one loop serves
 * every wire.
 */
public interface PrimaryLink extends AutoCloseable {
    /** The primary's socket. */
    Path socket();

    /**
     * Connects to the primary.
     *
     * @throws IOException if it is not there (yet), or refused the connection
     */
    Connection connect() throws IOException;

    /**
     * Whether the primary still runs, for a wire on which a dead primary does not end the connection by itself (a
     * datagram socket): the connect loop asks now and then while connected, and disconnects if not.
     */
    default boolean primaryAlive() {
        return true;
    }

    /** Waits up to {@code timeout}, returning early (true) if the primary's socket appears meanwhile. */
    boolean awaitPrimary(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
