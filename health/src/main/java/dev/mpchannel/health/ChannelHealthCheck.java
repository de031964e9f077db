package dev.mpchannel.health;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.transport.channel.ConfiguredChannel;
import java.lang.ref.WeakReference;
import java.util.Optional;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;

/**
 * The health check of one configured channel. It remembers the problem counters of its previous execution, so that
 * a result says what went wrong since then; they belong to one channel instance, as a re-created channel (a new
 * configuration, its side's bundle back) starts counting from zero.
 */
final class ChannelHealthCheck implements HealthCheck {
    private final ConfiguredChannel launch;
    /** The channel the previous execution saw; weak, so that a check never keeps a closed channel alive. */
    private WeakReference<Channel> previousChannel = new WeakReference<>(null);
    private ProblemCounters previousCounters = ProblemCounters.NONE;

    ChannelHealthCheck(ConfiguredChannel launch) {
        this.launch = launch;
    }

    /** Synchronized: the baseline is read and replaced as one step, should two executions overlap. */
    @Override
    public synchronized Result execute() {
        return toResult(judge());
    }

    private ChannelVerdict judge() {
        Optional<Channel> channel = launch.channel();
        if (channel.isEmpty()) {
            previousChannel = new WeakReference<>(null);
            return ChannelVerdict.notRunning(launch.problem());
        }
        ChannelStatus status = channel.get().status();
        Optional<ProblemCounters> previous = previousChannel.get() == channel.get()
                ? Optional.of(previousCounters) : Optional.empty();
        ChannelVerdict verdict = ChannelVerdict.of(status, previous);
        previousChannel = new WeakReference<>(channel.get());
        previousCounters = verdict.counters();
        return verdict;
    }

    static Result toResult(ChannelVerdict verdict) {
        FormattingResultLog log = new FormattingResultLog();
        for (Finding finding : verdict.findings()) {
            // the text as an argument: a '{}' in a socket path must not be read as a placeholder
            switch (finding.health()) {
                case OK -> log.info("{}", finding.text());
                case WARN -> log.warn("{}", finding.text());
                case CRITICAL -> log.critical("{}", finding.text());
            }
        }
        return new Result(log);
    }
}
