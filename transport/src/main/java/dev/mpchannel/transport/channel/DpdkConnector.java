package dev.mpchannel.transport.channel;

import dev.mpchannel.transport.dpdk.DpdkConnection;
import dev.mpchannel.transport.dpdk.DpdkOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DPDK channel's join loop: waits until the DPDK primary is alive (it holds its lock on {@code config} and its
 * {@code mp_socket} exists), joins it as a secondary, and when the primary goes away (its lock is released) joins the
 * next one, or with {@code primary.loss=stop} closes the channel.
 */
public final class DpdkConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DpdkConnector.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(50);
    private static final Duration LAST_RETRY = Duration.ofMillis(500);

    private final ChannelSettings settings;
    private final DpdkOptions dpdk;
    private final ChannelRuntime runtime;
    private final Thread thread;
    private volatile boolean stopping;

    private DpdkConnector(ChannelSettings settings, ChannelRuntime runtime) {
        this.settings = settings;
        this.dpdk = settings.dpdk();
        this.runtime = runtime;
        this.thread = new Thread(this::stayJoined, "mpchannel-dpdk-join-" + settings.name());
        thread.setDaemon(true);
    }

    /** Keeps {@code runtime} joined to its DPDK primary until closed. */
    public static DpdkConnector start(ChannelSettings settings, ChannelRuntime runtime) {
        DpdkConnector connector = new DpdkConnector(settings, runtime);
        connector.thread.start();
        return connector;
    }

    /** Stops joining and closes the channel (which leaves the DPDK primary and removes this side's socket file). */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        runtime.close();
        thread.join(2000);
    }

    private void stayJoined() {
        Duration retry = FIRST_RETRY;
        boolean waitingReported = false;
        while (!stopping) {
            if (!dpdk.paths().primaryAlive()) {
                if (!waitingReported) {
                    LOG.info("channel '{}': no DPDK primary at {} yet; joining when there is", settings.name(),
                            dpdk.paths().primarySocket());
                    waitingReported = true;
                }
                retry = pause(retry);
                continue;
            }
            try {
                DpdkConnection connection = DpdkConnection.connect(dpdk.paths(), dpdk.layout());
                CompletableFuture<Void> gone = runtime.attach(connection);
                if (gone.isCompletedExceptionally()) {
                    retry = pause(retry); // the runtime logged why it refused the primary
                    continue;
                }
                LOG.info("channel '{}': joined the DPDK primary (pid {}) at {} as {} (layout {})", settings.name(),
                        connection.peer().pid(), dpdk.paths().primarySocket(), connection.path().getFileName(),
                        dpdk.layout().version());
                retry = FIRST_RETRY;
                waitingReported = false;
                gone.join();
            } catch (IOException e) {
                LOG.info("channel '{}': could not join the DPDK primary at {}: {}", settings.name(),
                        dpdk.paths().primarySocket(), e.toString());
                retry = pause(retry);
                continue;
            }
            if (stopping) {
                return;
            }
            if (settings.primaryLoss() == ChannelSettings.PrimaryLoss.STOP) {
                LOG.warn("channel '{}': lost the DPDK primary; primary.loss=stop: the channel is closed until its "
                        + "configuration changes", settings.name());
                runtime.close();
                return;
            }
            LOG.warn("channel '{}': lost the DPDK primary; joining the next one", settings.name());
        }
    }

    private Duration pause(Duration retry) {
        try {
            Thread.sleep(retry.toMillis());
        } catch (InterruptedException interrupted) {
            stopping = true;
        }
        return retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
    }
}
