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

    /** Waits up to {@code timeout}, returning early (true) if the primary's socket appears meanwhile. */
    boolean awaitPrimary(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
