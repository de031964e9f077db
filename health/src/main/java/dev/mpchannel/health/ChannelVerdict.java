package dev.mpchannel.health;

import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one execution of a channel's health check concludes, from what the channel says now and the problem counters
 * the previous execution saw. Pure: no OSGi, no Health Check API, so that every case is a plain unit test.
 *
 * @param findings the result's lines, each with its level; the worst is the result's
 * @param counters the problem counters now, the next execution's baseline (NONE for a channel that does not run)
 */
record ChannelVerdict(List<Finding> findings, ProblemCounters counters) {

    ChannelVerdict {
        findings = List.copyOf(findings);
    }

    /** The result's level: its worst finding. */
    Health health() {
        return findings.stream().map(Finding::health).reduce(Health.OK, Health::worst);
    }

    /** A configured channel that does not run: it waits for its side's bundle, or its side failed to start. */
    static ChannelVerdict notRunning(Optional<String> problem) {
        return new ChannelVerdict(List.of(new Finding(Health.CRITICAL,
                "does not run: " + problem.orElse("no reason given"))), ProblemCounters.NONE);
    }

    /**
     * A running channel.
     *
     * @param previous the counters of this channel when the check last ran; empty the first time the check sees
     *                 this channel (then every count since the channel started is new)
     */
    static ChannelVerdict of(ChannelStatus status, Optional<ProblemCounters> previous) {
        List<Finding> findings = new ArrayList<>();
        findings.add(stateFinding(status));
        ProblemCounters now = ProblemCounters.of(status);
        if (status.state() != ChannelStatus.State.CLOSED) {
            ProblemCounters before = previous.orElse(ProblemCounters.NONE);
            String since = previous.isPresent() ? "since the previous check" : "since the channel started";
            growth("errors (failed writes, failed actions, error answers)", before.errors(), now.errors(), since)
                    .ifPresent(findings::add);
            growth("ignored requests (an unknown action, or one the whitelist refuses)", before.ignored(),
                    now.ignored(), since).ifPresent(findings::add);
            growth("timeouts (requests a peer did not answer in time)", before.timeouts(), now.timeouts(), since)
                    .ifPresent(findings::add);
        }
        findings.add(new Finding(Health.OK, "counters: errors " + now.errors() + ", ignored " + now.ignored()
                + ", timeouts " + now.timeouts()));
        return new ChannelVerdict(findings, now);
    }

    private static Finding stateFinding(ChannelStatus status) {
        String socket = status.socketPath();
        return switch (status.state()) {
            case LISTENING -> new Finding(Health.OK, "primary listening on " + socket + ", "
                    + count(status.peers().size(), "secondary", "secondaries") + " connected");
            case CONNECTED -> new Finding(Health.OK, "secondary connected to " + socket + status.peers().stream()
                    .map(ChannelStatus.PeerStatus::peer).filter(p -> p.id() == Peer.PRIMARY_ID).findFirst()
                    .map(p -> ", its primary is pid " + p.pid()).orElse(""));
            // a secondary keeps trying: its primary has not started yet, or went away and it reconnects
            case CONNECTING -> new Finding(Health.WARN, "secondary connecting to " + socket
                    + ": no primary listens there yet, or it went away and the secondary reconnects");
            case CLOSED -> new Finding(Health.CRITICAL, status.role().name().toLowerCase(java.util.Locale.ROOT)
                    + " on " + socket + " is closed: it sends and receives nothing until its configuration changes");
        };
    }

    private static Optional<Finding> growth(String what, long before, long now, String since) {
        // within one channel the counters only grow; max() guards against a baseline of another channel anyway
        long more = Math.max(0, now - before);
        return more == 0 ? Optional.empty()
                : Optional.of(new Finding(Health.WARN, what + ": " + more + " more " + since + " (" + now + " in all)"));
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
