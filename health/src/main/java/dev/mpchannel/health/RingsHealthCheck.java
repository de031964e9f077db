package dev.mpchannel.health;

import dev.mpchannel.rings.Rings;
import java.util.Map;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The health check of this process's shared-memory rings ({@code mpchannel rings}, tag {@code mpchannel}): present
 * while the mpchannel-rings bundle is (its {@link Rings} service); this bundle imports the rings' package optionally,
 * so it needs the rings bundle only for this check. See {@link RingsVerdict} for what it says.
 */
@Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=mpchannel rings",
    HealthCheck.TAGS + "=" + ChannelHealthChecks.TAG})
public final class RingsHealthCheck implements HealthCheck {
    private final Rings rings;
    private Map<String, Long> previousFull = Map.of();

    @Activate
    public RingsHealthCheck(@Reference Rings rings) {
        this.rings = rings;
    }

    /** Synchronized: the baseline is read and replaced as one step, should two executions overlap. */
    @Override
    public synchronized Result execute() {
        RingsVerdict verdict = RingsVerdict.of(rings.status(), previousFull);
        previousFull = verdict.full();
        FormattingResultLog log = new FormattingResultLog();
        for (Finding finding : verdict.findings()) {
            switch (finding.health()) { // the text as an argument: a '{}' in a name is not a placeholder
                case OK -> log.info("{}", finding.text());
                case WARN -> log.warn("{}", finding.text());
                case CRITICAL -> log.critical("{}", finding.text());
            }
        }
        return new Result(log);
    }
}
