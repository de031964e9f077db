package dev.mpchannel.primary;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.PeerListener;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.channel.Acceptor;
import dev.mpchannel.transport.channel.ChannelRuntime;
import dev.mpchannel.transport.channel.ForwardingChannel;
import dev.mpchannel.transport.channel.SideFactories;
import dev.mpchannel.transport.channel.SideStart;
import dev.mpchannel.transport.channel.action.ActionRegistry;
import dev.mpchannel.transport.config.ChannelSettings;
import dev.mpchannel.transport.socket.Listener;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary side of one channel, started by the channel's configuration component when its role is primary: it
 * takes the channel's lock, listens, and accepts any number of secondaries. It is the {@link Channel} service of its
 * channel; its action reference binds the actions for this channel (its target comes from the configuration
 * component).
 */
@Component(factory = SideFactories.PRIMARY, service = Channel.class)
public final class PrimaryChannel extends ForwardingChannel implements SideStart {
    private static final Logger LOG = LoggerFactory.getLogger(PrimaryChannel.class);

    private final ChannelSettings settings;
    private Acceptor acceptor;
    private Exception failure;

    // The runtime and its registry exist before DS binds the first action service, so no bind event is missed.
    @Activate
    public PrimaryChannel(Map<String, Object> properties) {
        // the configuration's keys as its launcher checked them, read the same way (not coerced by SCR)
        this(ChannelSettings.of(properties).as(Role.PRIMARY));
    }

    private PrimaryChannel(ChannelSettings settings) {
        super(new ChannelRuntime(settings, new ActionRegistry(settings.name(), settings.whitelist())));
        this.settings = settings;
    }

    // A failure to listen (the directory cannot be created, another primary holds the lock) is kept, not thrown:
    // the launcher logs it in one line and disposes this side, and SCR logs no stack trace for it.
    @Activate
    void start() {
        try {
            acceptor = Acceptor.start(Listener.bind(settings.paths(), settings.access()), runtime);
        } catch (IOException | RuntimeException e) {
            runtime.close();
            failure = e;
            return;
        }
        LOG.info("channel '{}': primary listening on {} (actions allowed: {})", settings.name(),
                settings.paths().socket(), settings.whitelist());
    }

    @Override
    public Optional<Exception> startFailure() {
        return Optional.ofNullable(failure);
    }

    @Deactivate
    void stop() throws IOException, InterruptedException {
        if (acceptor == null) {
            return; // it never started
        }
        acceptor.close();
        LOG.info("channel '{}': primary on {} stopped", settings.name(), settings.paths().socket());
    }

    // By reference, not by service object: fetching an action that references this channel while this channel is
    // being activated is a circular reference to SCR; the registry fetches it on its first message.
    @Reference(name = "actions", service = Action.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindAction(ComponentServiceObjects<Action> action, Map<String, ?> properties) {
        Bundle bundle = action.getServiceReference().getBundle();
        runtime.actions().bindService(action, bundle == null ? null : bundle.getSymbolicName(), properties);
    }

    void unbindAction(ComponentServiceObjects<Action> action, Map<String, ?> properties) {
        runtime.actions().unbindService(action, properties);
    }

    // By reference too: a listener that references this channel is fetched on the channel's events thread, later.
    @Reference(name = "peerListeners", service = PeerListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindPeerListener(ComponentServiceObjects<PeerListener> listener) {
        runtime.peerEvents().add(listener);
    }

    void unbindPeerListener(ComponentServiceObjects<PeerListener> listener) {
        runtime.peerEvents().remove(listener);
    }
}
