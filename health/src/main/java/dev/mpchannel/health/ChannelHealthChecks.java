package dev.mpchannel.health;

import dev.mpchannel.api.Channel;
import dev.mpchannel.transport.channel.ConfiguredChannel;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import org.apache.felix.hc.api.HealthCheck;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Registers one {@link HealthCheck} service per configured channel: per {@link ConfiguredChannel} service, which the
 * transport registers for each channel configuration, whether its channel runs or not (so a channel that waits for
 * its side's bundle has a check, and it says CRITICAL). The check goes when the configuration goes.
 * <p>
 * One service per channel rather than one check for all: each channel then has its own result, name and history in
 * the executor, hc:exec and the web console, and a channel can be selected by name.
 */
@Component(immediate = true)
public final class ChannelHealthChecks {
    /** The tag every check carries: {@code hc:exec mpchannel}, {@code HealthCheckSelector.tags("mpchannel")}. */
    static final String TAG = "mpchannel";
    static final String NAME_PREFIX = "mpchannel channel ";

    private final BundleContext context;
    private final Map<ConfiguredChannel, ServiceRegistration<HealthCheck>> checks = new HashMap<>();
    private boolean active = true;

    /** The context comes first (constructor injection), so that launches bound before activation register at once. */
    @Activate
    public ChannelHealthChecks(BundleContext context) {
        this.context = context;
    }

    @Reference(service = ConfiguredChannel.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addLaunch(ConfiguredChannel launch) {
        if (active && !checks.containsKey(launch)) {
            checks.put(launch, context.registerService(HealthCheck.class, new ChannelHealthCheck(launch),
                    properties(launch.name())));
        }
    }

    synchronized void removeLaunch(ConfiguredChannel launch) {
        ServiceRegistration<HealthCheck> check = checks.remove(launch);
        if (check != null) {
            unregister(check);
        }
    }

    @Deactivate
    synchronized void removeAll() {
        active = false;
        checks.values().forEach(ChannelHealthChecks::unregister);
        checks.clear();
    }

    static Hashtable<String, Object> properties(String channel) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, NAME_PREFIX + channel);
        properties.put(HealthCheck.TAGS, new String[] {TAG});
        properties.put(Channel.NAME, channel); // select one channel's check by a filter, as with its Channel service
        properties.put(Constants.SERVICE_DESCRIPTION, "Health of mpchannel channel '" + channel + "'");
        return properties;
    }

    private static void unregister(ServiceRegistration<HealthCheck> check) {
        try {
            check.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
    }
}
