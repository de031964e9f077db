package dev.mpchannel.health;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.transport.channel.ConfiguredChannel;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.junit.jupiter.api.Test;

/** The check as the executor runs it: its result, and the baseline it keeps between executions. */
class ChannelHealthCheckTest {
    private final Launch launch = new Launch();
    private final ChannelHealthCheck check = new ChannelHealthCheck(launch);

    @Test
    void problemsWarnOnceThenTheNextExecutionIsOk() {
        StatusOf channel = new StatusOf(Statuses.primaryWithProblems(0, 0, 0));
        launch.runs(channel.channel);
        assertEquals(Result.Status.OK, check.execute().getStatus());

        channel.status = Statuses.primaryWithProblems(0, 1, 0);
        Result warned = check.execute();
        assertEquals(Result.Status.WARN, warned.getStatus());
        assertEquals(List.of("OK primary listening on " + Statuses.SOCKET + ", 0 secondaries connected",
                "WARN ignored requests (an unknown action, or one the whitelist refuses): 1 more since the previous "
                        + "check (1 in all)",
                "OK counters: errors 0, ignored 1, timeouts 0"), entries(warned));

        assertEquals(Result.Status.OK, check.execute().getStatus());
    }

    @Test
    void aReCreatedChannelCountsFromZero() {
        launch.runs(new StatusOf(Statuses.primaryWithProblems(0, 5, 0)).channel);
        assertEquals(Result.Status.WARN, check.execute().getStatus());
        assertEquals(Result.Status.OK, check.execute().getStatus());

        // the configuration changed: a new channel, whose 2 are new although fewer than the old channel's 5
        launch.runs(new StatusOf(Statuses.primaryWithProblems(0, 2, 0)).channel);
        Result result = check.execute();
        assertEquals(Result.Status.WARN, result.getStatus());
        assertEquals("WARN ignored requests (an unknown action, or one the whitelist refuses): 2 more since the "
                + "channel started (2 in all)", entries(result).get(1));
    }

    @Test
    void aChannelThatDoesNotRunIsCritical() {
        launch.runs(new StatusOf(Statuses.primaryWithProblems(1, 0, 0)).channel);
        check.execute();
        launch.stops("closed: its side went away");
        Result result = check.execute();
        assertEquals(Result.Status.CRITICAL, result.getStatus());
        assertEquals(List.of("CRITICAL does not run: closed: its side went away"), entries(result));
    }

    @Test
    void theCheckIsNamedAndTaggedForItsChannel() {
        Hashtable<String, Object> properties = ChannelHealthChecks.properties("vswitch");
        assertEquals("mpchannel channel vswitch", properties.get("hc.name"));
        assertArrayEquals(new String[] {"mpchannel"}, (String[]) properties.get("hc.tags"));
        assertEquals("vswitch", properties.get("mp.channel"));
    }

    private static List<String> entries(Result result) {
        List<String> entries = new ArrayList<>();
        for (ResultLog.Entry entry : result) {
            entries.add(entry.getStatus() + " " + entry.getMessage());
        }
        return entries;
    }

    /** A Channel whose status() is whatever the test set last (the check calls nothing else). */
    private static final class StatusOf {
        volatile ChannelStatus status;
        final Channel channel = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(),
                new Class<?>[] {Channel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "status" -> status;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        StatusOf(ChannelStatus status) {
            this.status = status;
        }
    }

    /** A channel configuration whose channel the test starts, replaces and stops. */
    private static final class Launch implements ConfiguredChannel {
        private Channel channel;
        private String problem;

        void runs(Channel replacement) {
            channel = replacement;
            problem = null;
        }

        void stops(String why) {
            channel = null;
            problem = why;
        }

        @Override
        public String name() {
            return "vswitch";
        }

        @Override
        public Optional<Channel> channel() {
            return Optional.ofNullable(channel);
        }

        @Override
        public Optional<String> problem() {
            return Optional.ofNullable(problem);
        }
    }
}
