package dev.mpchannel.transport.socket;

import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** mpchannel's own wire: a stream connection to the primary's socket, which a {@link SocketWatch} waits for. */
public final class StreamLink implements PrimaryLink {
    private final Path socket;
    private final FrameLimits limits;
    private final SocketWatch watch;

    public StreamLink(Path socket, FrameLimits limits) {
        this.socket = socket;
        this.limits = limits;
        this.watch = new SocketWatch(socket);
    }

    @Override
    public Path socket() {
        return socket;
    }

    @Override
    public Connection connect() throws IOException {
        return StreamConnection.connect(socket, limits);
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
