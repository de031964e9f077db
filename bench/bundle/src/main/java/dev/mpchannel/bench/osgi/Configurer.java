package dev.mpchannel.bench.osgi;

import java.io.IOException;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Creates the channel's configuration (a factory configuration of {@code dev.mpchannel.channel}) from framework properties, which the bnd launcher
 * takes from {@code -D} options and the harness's multi-framework host sets per framework:
 * {@code mpbench.role} (nothing happens without it), {@code mpbench.prefix}, {@code mpbench.socket.dir},
 * {@code mpbench.max.message.bytes} (default 16 MiB, for the large-parameter workload), {@code mpbench.inline.max.bytes}
 * (default: the channel's), {@code mpbench.max.fds}
 * (default 8), {@code mpbench.action.threads} (default: the channel's). The whitelist is {@code bench.*}.
 * With {@code mpbench.wire=dpdk} the channel joins a DPDK application instead ({@code mpbench.dpdk.file.prefix},
 * {@code mpbench.dpdk.layout}, {@code mpbench.dpdk.runtime.dir}; role secondary), for {@link DpdkDriver}.
 */
@Component(immediate = true)
public final class Configurer {
    static final String FACTORY_PID = "dev.mpchannel.channel";

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Activate
    void activate(BundleContext context) throws IOException {
        String role = context.getProperty("mpbench.role");
        if (role == null) {
            return;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("role", role);
        properties.put("prefix", property(context, "mpbench.prefix", "bench"));
        properties.put("socket.dir", property(context, "mpbench.socket.dir", ""));
        properties.put("allowed.actions", new String[] {"bench.*"});
        properties.put("max.message.bytes", Integer.valueOf(property(context, "mpbench.max.message.bytes", "16777216")));
        properties.put("max.fds", Integer.valueOf(property(context, "mpbench.max.fds", "8")));
        String inline = context.getProperty("mpbench.inline.max.bytes");
        if (inline != null) { // to measure large parameters through the socket against shared memory
            properties.put("inline.max.bytes", Integer.valueOf(inline));
        }
        String wire = context.getProperty("mpbench.wire");
        if (wire != null) { // dpdk: a DPDK application's multi-process channel (docs/dpdk.md)
            properties.put("wire", wire);
            properties.put("dpdk.file.prefix", property(context, "mpbench.dpdk.file.prefix", "rte"));
            properties.put("dpdk.layout", property(context, "mpbench.dpdk.layout", "22.11"));
            properties.put("dpdk.runtime.dir", property(context, "mpbench.dpdk.runtime.dir", ""));
        }
        String spin = context.getProperty("mpbench.request.spin.us");
        if (spin != null) { // 0: the caller of a request parks at once (the design the spin is compared with)
            properties.put("request.spin.us", Long.valueOf(spin));
        }
        String handoff = context.getProperty("mpbench.reader.handoff.us");
        if (handoff != null) { // 0: every ordinary action on the action threads (the design compared with)
            properties.put("reader.handoff.us", Long.valueOf(handoff));
        }
        String readThreads = context.getProperty("mpbench.read.threads");
        if (readThreads != null) { // a reading thread for every secondary: the design the poller is compared with
            properties.put("read.threads", Integer.valueOf(readThreads));
        }
        String threads = context.getProperty("mpbench.action.threads");
        if (threads != null) {
            properties.put("action.threads", Integer.valueOf(threads));
        }
        Configuration configuration = configurationAdmin.getFactoryConfiguration(FACTORY_PID, "bench", "?");
        configuration.update(properties);
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null ? fallback : value;
    }
}
