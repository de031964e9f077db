package dev.mpchannel.primary;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.channel.ActionRegistry;
import dev.mpchannel.transport.channel.ChannelConfiguration;
import dev.mpchannel.transport.channel.ChannelEndpoint;
import dev.mpchannel.transport.channel.ChannelSettings;
import dev.mpchannel.transport.channel.RoleArbiter;
import dev.mpchannel.transport.socket.Listener;
import dev.mpchannel.transport.socket.PrimaryLock;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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
 * The primary side of the channel, active when the configuration says {@code role=primary} (or {@code auto} and no
 * other process is the primary): it takes the channel's lock, listens, accepts any number of secondaries, and
 * registers the {@link Channel} service. Otherwise it stays quiet. A configuration change re-creates it (no {@code modified} method), closing every socket and thread.
 */
@Component(configurationPid = ChannelConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public final class PrimaryChannel {
    private static final Logger LOG = LoggerFactory.getLogger(PrimaryChannel.class);

    private final ChannelSettings settings;
    private final ActionRegistry actions;
    private final PrimaryLock autoLock;
    private final AtomicLong lastPeerId = new AtomicLong();
    private ChannelEndpoint endpoint;
    private Listener listener;
    private Thread acceptor;
    private volatile boolean stopping;
    private ServiceRegistration<Channel> registration;

    // The registry exists before DS binds the first action service, so no bind event is missed.
    @Activate
    public PrimaryChannel(ChannelConfiguration config) throws IOException {
        ChannelSettings configured = ChannelSettings.of(config);
        this.settings = configured.as(Role.PRIMARY);
        if (configured.role() == null) { // role=auto: primary if no other process is
            this.autoLock = RoleArbiter.claimPrimary(settings.paths()).orElse(null);
        } else {
            this.autoLock = null;
        }
        boolean primary = configured.role() == Role.PRIMARY || autoLock != null;
        this.actions = primary ? new ActionRegistry(settings.whitelist()) : null;
    }

    @Activate
    void start(BundleContext context) throws IOException {
        if (actions == null) {
            return; // a secondary: the secondary bundle's business
        }
        listener = autoLock != null ? Listener.bind(autoLock, settings.access())
                : Listener.bind(settings.paths(), settings.access());
        endpoint = new ChannelEndpoint(settings, actions);
        acceptor = new Thread(this::acceptSecondaries, "mpchannel-accept-" + settings.paths().prefix());
        acceptor.setDaemon(true);
        acceptor.start();
        registration = context.registerService(Channel.class, endpoint, settings.serviceProperties());
        LOG.info("primary listening on {} (actions allowed: {})", settings.paths().socket(), settings.whitelist());
    }

    @Deactivate
    void stop() throws IOException, InterruptedException {
        if (actions == null) {
            return;
        }
        stopping = true;
        registration.unregister();
        listener.close(); // wakes the acceptor
        endpoint.close();
        acceptor.join(2000);
        LOG.info("primary on {} stopped", settings.paths().socket());
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

    private static void pause() {
        try {
            Thread.sleep(50); // not a busy loop if accept keeps failing (e.g. out of file descriptors)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptSecondaries() {
        while (true) {
            try {
                endpoint.attach(listener.accept(lastPeerId.incrementAndGet(), settings.limits()));
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
}
