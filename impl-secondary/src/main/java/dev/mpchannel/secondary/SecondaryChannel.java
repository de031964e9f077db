package dev.mpchannel.secondary;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.PeerListener;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.channel.ChannelRuntime;
import dev.mpchannel.transport.channel.Connector;
import dev.mpchannel.transport.channel.ForwardingChannel;
import dev.mpchannel.transport.channel.SideFactories;
import dev.mpchannel.transport.channel.SideStart;
import dev.mpchannel.transport.channel.action.ActionRegistry;
import dev.mpchannel.transport.config.ChannelSettings;
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
 * The secondary side of one channel, started by the channel's configuration component when its role is secondary:
 * it is the {@link Channel} service at once and stays connected to the primary ({@link Connector}: reconnects with
 * backoff, or closes with {@code primary.loss=stop}); with {@code wire=dpdk} the primary is a DPDK application's,
 * joined over DPDK's own wire. While it is not connected, sending fails with
 * {@code NOT_CONNECTED}.
 */
@Component(factory = SideFactories.SECONDARY, service = Channel.class)
public final class SecondaryChannel extends ForwardingChannel implements SideStart {
    private static final Logger LOG = LoggerFactory.getLogger(SecondaryChannel.class);

    private final ChannelSettings settings;
    private Connector connector;
    private Exception failure;

    // The runtime and its registry exist before DS binds the first action service, so no bind event is missed.
    @Activate
    public SecondaryChannel(Map<String, Object> properties) {
        // the configuration's keys as its launcher checked them, read the same way (not coerced by SCR)
        this(ChannelSettings.of(properties).as(Role.SECONDARY));
    }

    private SecondaryChannel(ChannelSettings settings) {
        super(new ChannelRuntime(settings, new ActionRegistry(settings.name(), settings.whitelist())));
        this.settings = settings;
    }

    // A failure to start connecting is kept, not thrown: the launcher logs it in one line and disposes this side.
    @Activate
    void start() {
        try {
            connector = Connector.start(settings, runtime);
        } catch (RuntimeException e) {
            runtime.close();
            failure = e;
        }
    }

    @Override
    public Optional<Exception> startFailure() {
        return Optional.ofNullable(failure);
    }

    @Deactivate
    void stop() throws InterruptedException {
        if (connector == null) {
            return; // it never started
        }
        connector.close();
        LOG.info("channel '{}': secondary of {} stopped", settings.name(), settings.socketPath());
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
