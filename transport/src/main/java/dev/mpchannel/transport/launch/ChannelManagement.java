package dev.mpchannel.transport.launch;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Traffic;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.ToLongFunction;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running channel's {@link ChannelMXBean}, in the platform MBean server while the channel runs. */
final class ChannelManagement implements ChannelMXBean, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelManagement.class);

    private final Channel channel;
    private final ObjectName objectName;
    private final boolean registered;

    private ChannelManagement(Channel channel, ObjectName objectName, boolean registered) {
        this.channel = channel;
        this.objectName = objectName;
        this.registered = registered;
    }

    /** Registers the channel's MBean; a failure (say, a second channel of the same name here) is only logged. */
    static ChannelManagement register(String name, Channel channel) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName objectName = null;
        try {
            objectName = new ObjectName("dev.mpchannel:type=Channel,name=" + name);
            ChannelManagement management = new ChannelManagement(channel, objectName, true);
            server.registerMBean(management, objectName);
            return management;
        } catch (JMException | RuntimeException e) {
            LOG.warn("channel '{}' is not visible over JMX ({}): {}", name, objectName, e.toString());
            return new ChannelManagement(channel, objectName, false);
        }
    }

    @Override
    public void close() {
        if (!registered) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        } catch (JMException e) {
            LOG.debug("{} was already unregistered: {}", objectName, e.toString());
        }
    }

    @Override
    public String getName() {
        return channel.name();
    }

    @Override
    public String getRole() {
        return channel.role().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String getSocketPath() {
        return channel.status().socketPath();
    }

    @Override
    public String getState() {
        return channel.status().state().name();
    }

    @Override
    public int getPeerCount() {
        return channel.peers().size();
    }

    @Override
    public String[] getPeers() {
        return channel.status().peers().stream().map(ChannelStatus.PeerStatus::peer)
                .map(p -> p + " uid " + p.uid()).toArray(String[]::new);
    }

    @Override
    public String[] getBoundActions() {
        return channel.status().boundActions().stream().sorted().toArray(String[]::new);
    }

    @Override
    public String[] getRefusedActions() {
        return channel.status().refusedActions().stream().sorted().toArray(String[]::new);
    }

    @Override
    public long getMessagesIn() {
        return total(Traffic::messagesIn);
    }

    @Override
    public long getMessagesOut() {
        return total(Traffic::messagesOut);
    }

    @Override
    public long getBytesIn() {
        return total(Traffic::bytesIn);
    }

    @Override
    public long getBytesOut() {
        return total(Traffic::bytesOut);
    }

    @Override
    public long getFdsIn() {
        return total(Traffic::fdsIn);
    }

    @Override
    public long getFdsOut() {
        return total(Traffic::fdsOut);
    }

    @Override
    public long getErrors() {
        return total(Traffic::errors);
    }

    @Override
    public long getIgnored() {
        return total(Traffic::ignored);
    }

    @Override
    public long getTimeouts() {
        return total(Traffic::timeouts);
    }

    private long total(ToLongFunction<Traffic> counter) {
        return channel.status().actions().values().stream().mapToLong(counter).sum();
    }
}
