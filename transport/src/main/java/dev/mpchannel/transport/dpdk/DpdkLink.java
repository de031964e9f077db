package dev.mpchannel.transport.dpdk;

import dev.mpchannel.transport.socket.Connection;
import dev.mpchannel.transport.socket.PrimaryLink;
import dev.mpchannel.transport.socket.SocketWatch;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * DPDK's wire: joins the DPDK primary once it is alive (it holds its lock on {@code config} and its
 * {@code mp_socket} exists), waiting for its {@code mp_socket} to be created.
 */
public final class DpdkLink implements PrimaryLink {
    private final DpdkWire options;
    private final SocketWatch watch;

    public DpdkLink(DpdkWire options) {
        this.options = options;
        this.watch = new SocketWatch(options.paths().primarySocket());
    }

    @Override
    public Path socket() {
        return options.paths().primarySocket();
    }

    @Override
    public Connection connect() throws IOException {
        if (!options.paths().primaryAlive()) {
            throw new IOException("no DPDK primary is running (nothing holds the lock on "
                    + options.paths().config() + ")");
        }
        return DpdkConnection.connect(options.paths(), options.layout());
    }

    /** Whether the DPDK primary still holds its lock: its socket lives on after it died. */
    @Override
    public boolean primaryAlive() {
        return options.paths().primaryAlive();
    }

    @Override
    public boolean awaitPrimary(Duration timeout) throws InterruptedException {
        return watch.awaitCreated(timeout);
    }

    @Override
    public void close() {
        watch.close();
    }
}
