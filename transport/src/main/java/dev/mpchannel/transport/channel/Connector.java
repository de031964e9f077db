package dev.mpchannel.transport.channel;

import dev.mpchannel.transport.config.ChannelSettings;
import dev.mpchannel.transport.socket.Connection;
import dev.mpchannel.transport.socket.PrimaryLink;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secondary's connect loop, on either wire ({@link PrimaryLink}): connects to the primary and attaches it to the
 * channel, waits while it is connected, and when the primary is absent or goes away tries again as soon as the
 * primary's socket is created (a watch on its directory), or else after a backoff (100 ms doubling to 2 s); with
 * {@code primary.loss=stop} it closes the channel instead once a primary it was connected to goes away.
 */
public final class Connector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(2);
    /** How often a connected loop asks whether the primary still runs (for a wire that cannot tell by itself). */
    private static final long LIVENESS_POLL_MS = 250;

    private final ChannelSettings settings;
    private final ChannelRuntime runtime;
    private final PrimaryLink link;
    private final Thread thread;
    private volatile boolean stopping;

    private Connector(ChannelSettings settings, ChannelRuntime runtime, PrimaryLink link) {
        this.settings = settings;
        this.runtime = runtime;
        this.link = link;
        this.thread = new Thread(this::stayConnected, "mpchannel-connect-" + settings.name());
        thread.setDaemon(true);
    }

    /** Keeps {@code runtime} connected to its primary, over the channel's wire, until closed. */
    public static Connector start(ChannelSettings settings, ChannelRuntime runtime) {
        Connector connector = new Connector(settings, runtime, settings.wire().linkToPrimary());
        connector.thread.start();
        return connector;
    }

    /** Stops connecting and closes the channel (which ends the wait on a connection). */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        runtime.close();
        thread.join(2000);
    }

    private void stayConnected() {
        try {
            connectUntilStopped();
        } catch (RuntimeException e) {
            LOG.error("channel '{}': the connect loop failed; the channel stays disconnected until it is re-created",
                    settings.name(), e);
        } finally {
            link.close();
        }
    }

    private void connectUntilStopped() {
        Duration retry = FIRST_RETRY;
        boolean waitingReported = false;
        while (!stopping) {
            Connection connection;
            try {
                connection = link.connect();
            } catch (IOException e) {
                if (!waitingReported) {
                    LOG.info("channel '{}': no primary at {} yet ({}); connecting when there is", settings.name(),
                            link.socket(), e.getMessage());
                    waitingReported = true;
                }
                retry = pause(retry);
                continue;
            }
            CompletableFuture<Void> gone = runtime.attach(connection);
            if (gone.isCompletedExceptionally()) {
                // the process listening there is not one we may talk to (the runtime logged why): back off
                retry = pause(retry);
                continue;
            }
            LOG.info("channel '{}': connected to the primary at {}", settings.name(), link.socket());
            retry = FIRST_RETRY;
            waitingReported = false;
            awaitGone(gone, connection);
            if (stopping) {
                return;
            }
            if (settings.primaryLoss() == ChannelSettings.PrimaryLoss.STOP) {
                LOG.warn("channel '{}': lost the primary at {}; primary.loss=stop: the channel is closed until its "
                        + "configuration changes", settings.name(), link.socket());
                runtime.close();
                return;
            }
            LOG.warn("channel '{}': lost the primary at {}; reconnecting", settings.name(), link.socket());
        }
    }

    /** Waits until the primary is gone; a primary that died without ending the connection is disconnected here. */
    private void awaitGone(CompletableFuture<Void> gone, Connection connection) {
        while (true) {
            try {
                gone.get(LIVENESS_POLL_MS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillThere) {
                if (!link.primaryAlive()) {
                    LOG.warn("channel '{}': the primary at {} is no longer running; disconnecting", settings.name(),
                            link.socket());
                    connection.close();
                }
            } catch (InterruptedException e) {
                stopping = true; // closing: the runtime closes the connection, and waits for its reader itself
                return;
            } catch (ExecutionException e) {
                return;
            }
        }
    }

    /**
     * Waits {@code retry}, or less if the primary's socket is created meanwhile, and returns the next wait: doubled up
     * to 2 s, or the first again after a new socket. An interrupt means closing.
     */
    private Duration pause(Duration retry) {
        try {
            if (link.awaitPrimary(retry)) {
                return FIRST_RETRY;
            }
        } catch (InterruptedException interrupted) {
            stopping = true;
        }
        return retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
    }
}
