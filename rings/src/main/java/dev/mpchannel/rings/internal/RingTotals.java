package dev.mpchannel.rings.internal;

import dev.mpchannel.rings.RingStatus;
import dev.mpchannel.rings.Rings;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.ToLongFunction;
import javax.management.JMException;
import javax.management.ObjectName;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rings' counters in JMX, as {@value #NAME} in the platform MBean server: totals over the open pairs of this
 * process, and one line per pair.
 */
@Component(service = {})
public final class RingTotals implements RingTotalsMXBean {
    static final String NAME = "dev.mpchannel:type=Rings";
    private static final Logger LOG = LoggerFactory.getLogger(RingTotals.class);

    @Reference
    private Rings rings;
    private ObjectName name;

    @Activate
    void activate() {
        try {
            name = new ObjectName(NAME);
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, name);
        } catch (JMException e) {
            LOG.warn("the rings' counters are not in JMX ({}): {}", NAME, e.toString());
            name = null;
        }
    }

    @Deactivate
    void deactivate() {
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                // already gone
            }
        }
    }

    @Override
    public int getOpenPairs() {
        return rings.status().size();
    }

    @Override
    public long getRecordsWritten() {
        return sum(rings.status(), true, RingStatus.Counters::records);
    }

    @Override
    public long getRecordsRead() {
        return sum(rings.status(), false, RingStatus.Counters::records);
    }

    @Override
    public long getBytesWritten() {
        return sum(rings.status(), true, RingStatus.Counters::bytes);
    }

    @Override
    public long getBytesRead() {
        return sum(rings.status(), false, RingStatus.Counters::bytes);
    }

    @Override
    public long getParks() {
        return sum(rings.status(), false, RingStatus.Counters::parks);
    }

    @Override
    public long getWakeUps() {
        return sum(rings.status(), false, RingStatus.Counters::wakeUps);
    }

    @Override
    public String[] getPairs() {
        return RingCommand.format(rings.status()).split("\n");
    }

    private static long sum(List<RingStatus> pairs, boolean out, ToLongFunction<RingStatus.Counters> counter) {
        long sum = 0;
        for (RingStatus pair : pairs) {
            RingStatus.Counters counters = out ? pair.out() : pair.in();
            if (counters != null) {
                sum += counter.applyAsLong(counters);
            }
        }
        return sum;
    }
}
