package dev.mpchannel.secondary;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.channel.ActionRegistry;
import dev.mpchannel.transport.channel.ChannelConfiguration;
import dev.mpchannel.transport.channel.ChannelEndpoint;
import dev.mpchannel.transport.channel.ChannelSettings;
import dev.mpchannel.transport.channel.RoleArbiter;
import dev.mpchannel.transport.socket.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondary side of the channel, active when the configuration says {@code role=secondary} (or {@code auto} and
 * another process is the primary): it registers the
 * {@link Channel} service at once and connects to the primary, and whenever the primary is absent or goes away it
 * tries again with a backoff (100 ms doubling to 2 s), its actions staying bound; with {@code primary.loss=stop} it
 * closes its channel instead once a primary it was connected to goes away. While it is not connected, sending
 * fails with {@code NOT_CONNECTED}. With another role it stays quiet.
 */
@Component(configurationPid = ChannelConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public final class SecondaryChannel {
    private static final Logger LOG = LoggerFactory.getLogger(SecondaryChannel.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(2);

    private final ChannelSettings settings;
    private final ActionRegistry actions;
    private final boolean stopOnLoss;
    private ChannelEndpoint endpoint;
    private Thread connector;
    private volatile boolean stopping;
    private ServiceRegistration<Channel> registration;

    // The registry exists before DS binds the first action service, so no bind event is missed.
    @Activate
    public SecondaryChannel(ChannelConfiguration config) throws IOException {
        ChannelSettings configured = ChannelSettings.of(config);
        this.settings = configured.as(Role.SECONDARY);
        this.stopOnLoss = switch (config.primary_loss().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "reconnect" -> false;
            case "stop" -> true;
            default -> throw new IllegalArgumentException("primary.loss must be reconnect or stop, not '"
                    + config.primary_loss() + "'");
        };
        boolean secondary = configured.role() == Role.SECONDARY
                || configured.role() == null && RoleArbiter.primaryElsewhere(settings.paths()); // role=auto
        if (secondary && configured.role() == null) {
            LOG.info("role=auto: a primary is alive for channel '{}', so this process is a secondary",
                    settings.paths().prefix());
        }
        this.actions = secondary ? new ActionRegistry(settings.whitelist()) : null;
    }

    @Activate
    void start(BundleContext context) {
        if (actions == null) {
            return; // a primary: the primary bundle's business
        }
        endpoint = new ChannelEndpoint(settings, actions);
        connector = new Thread(this::stayConnected, "mpchannel-connect-" + settings.paths().prefix());
        connector.setDaemon(true);
        connector.start();
        registration = context.registerService(Channel.class, endpoint, settings.serviceProperties());
    }

    @Deactivate
    void stop() throws InterruptedException {
        if (actions == null) {
            return;
        }
        stopping = true;
        registration.unregister();
        connector.interrupt();
        endpoint.close(); // disconnects, which ends the connector's wait
        connector.join(2000);
        LOG.info("secondary of {} stopped", settings.paths().socket());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAction(Action action, Map<String, ?> properties) {
        if (actions != null) {
            actions.bindService(action, properties);
        }
    }

    void unbindAction(Action action, Map<String, ?> properties) {
        if (actions != null) {
            actions.unbindService(action, properties);
        }
    }

    /** Connects, waits until the primary goes away, and connects again, until the component stops. */
    private void stayConnected() {
        Duration retry = FIRST_RETRY;
        boolean waitingReported = false;
        while (!stopping) {
            try {
                Connection connection = Connection.connect(settings.paths().socket(), settings.limits());
                CompletableFuture<Void> gone = endpoint.attach(connection);
                if (gone.isCompletedExceptionally()) {
                    // the process listening there is not one we may talk to (the endpoint logged why): back off
                    retry = pause(retry);
                    if (retry == null) {
                        return;
                    }
                    continue;
                }
                LOG.info("connected to the primary at {} ({})", settings.paths().socket(), connection.peer());
                retry = FIRST_RETRY;
                waitingReported = false;
                gone.join();
                if (!stopping && stopOnLoss) {
                    LOG.warn("lost the primary at {}; primary.loss=stop: this secondary's channel is closed until "
                            + "its configuration changes", settings.paths().socket());
                    endpoint.close();
                    return;
                }
                if (!stopping) {
                    LOG.warn("lost the primary at {}; reconnecting", settings.paths().socket());
                }
            } catch (IOException e) {
                if (!waitingReported) {
                    LOG.info("no primary at {} yet ({}); retrying until there is", settings.paths().socket(), e.getMessage());
                    waitingReported = true;
                }
                retry = pause(retry);
                if (retry == null) {
                    return;
                }
            }
        }
    }

    /** Sleeps {@code retry}; returns the next, doubled up to 2 s, or {@code null} if interrupted (stopping). */
    private static Duration pause(Duration retry) {
        try {
            Thread.sleep(retry.toMillis());
        } catch (InterruptedException interrupted) {
            return null;
        }
        return retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
    }
}
