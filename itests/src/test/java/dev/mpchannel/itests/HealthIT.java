package dev.mpchannel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The health checks of mpchannel-health, asked through Felix Health Checks' executor as a monitoring tool would:
 * the usual framework plus the Health Check API and core and mpchannel-health. The channel {@code itest} is this
 * JVM's primary (see {@link AbstractChannelIT}); the other channels and peers are made by each test.
 * <p>
 * The executor keeps a result for 2 s by default; the tests that look for a change ask for a fresh execution
 * ({@code setForceInstantExecution}), which is also what makes "the previous execution" precise.
 */
@RunWith(PaxExam.class)
public class HealthIT extends AbstractChannelIT {
    private static final String TAG = "mpchannel";

    @Inject
    private HealthCheckExecutor executor;

    @Override
    @Configuration
    public Option[] config() {
        String bundles = System.getProperty("mpchannel.bundles.dir");
        return OptionUtils.combine(super.config(), options(
                fileBundle(bundles + "/org.osgi.service.event.jar"),
                fileBundle(bundles + "/jakarta.servlet-api.jar"),
                fileBundle(bundles + "/org.osgi.service.servlet.jar"),
                fileBundle(bundles + "/org.apache.felix.healthcheck.api.jar"),
                fileBundle(bundles + "/org.apache.felix.healthcheck.core.jar"),
                fileBundle(System.getProperty("mpchannel.bundle.health"))));
    }

    private static Option fileBundle(String path) {
        return org.ops4j.pax.exam.CoreOptions.bundle(new File(path).toURI().toString());
    }

    @Test
    public void theListeningPrimaryIsOkAndSaysHowManySecondaries() throws Exception {
        // as a monitoring tool asks: the checks of the tag, through the executor (its result cache and all)
        HealthCheckExecutionResult primary = awaitResult(
                () -> executor.execute(HealthCheckSelector.tags(TAG)), "itest", Result.Status.OK);
        assertEquals(List.of(
                "OK primary listening on " + socketDir.resolve("itest.sock") + ", 0 secondaries connected",
                "OK counters: errors 0, ignored 0, timeouts 0"), entries(primary));

        secondaries.start();
        awaitPeers(1);
        HealthCheckExecutionResult withPeer = awaitResult("itest", Result.Status.OK,
                text -> text.contains(", 1 secondary connected"));
        System.out.println("primary with a secondary:\n" + describe(withPeer));
    }

    @Test
    public void aChannelWhoseSideIsMissingIsCriticalWithTheReason() throws Exception {
        Bundle secondarySide = bundle("mpchannel-impl-secondary");
        secondarySide.stop();
        try {
            configure(channelConfiguration("late"), "secondary", "late", Map.of());
            HealthCheckExecutionResult waiting = awaitResult("late", Result.Status.CRITICAL,
                    text -> text.contains("bundle mpchannel-impl-secondary is not active"));
            assertEquals(List.of("CRITICAL does not run: waits: it is to be the secondary, but bundle "
                    + "mpchannel-impl-secondary is not active; it starts when that bundle does"), entries(waiting));
            System.out.println("a channel whose side's bundle is stopped:\n" + describe(waiting));
            // the other channel's check is not affected
            awaitResult("itest", Result.Status.OK, text -> true);
        } finally {
            secondarySide.start();
        }
        // its side is back: the secondary runs, and connects to nobody yet
        awaitResult("late", Result.Status.WARN, text -> text.contains("secondary connecting to"));
    }

    @Test
    public void aSecondaryWithoutItsPrimaryWarnsThenIsOkOnceConnected() throws Exception {
        configure(channelConfiguration("lonely"), "secondary", "lonely", Map.of());
        Channel lonely = awaitService(Channel.class, "(&(mp.role=secondary)(mp.channel=lonely))");
        HealthCheckExecutionResult connecting = awaitResult("lonely", Result.Status.WARN,
                text -> text.contains("secondary connecting to " + socketDir.resolve("lonely.sock")));
        System.out.println("a secondary without its primary:\n" + describe(connecting));

        long primaryPid = SecondaryProcesses.jvmPid(processesOf("lonely").start("primary"));
        awaitPeers(lonely, 1);
        HealthCheckExecutionResult connected = awaitResult("lonely", Result.Status.OK, text -> true);
        assertEquals("OK secondary connected to " + socketDir.resolve("lonely.sock") + ", its primary is pid "
                + primaryPid, entries(connected).get(0));
    }

    @Test
    public void anIgnoredRequestWarnsAtTheNextExecutionAndTheOneAfterIsOkAgain() throws Exception {
        secondaries.start();
        awaitPeers(1);
        // the baseline: an execution before anything goes wrong
        assertEquals(Result.Status.OK, executeNow("itest").getHealthCheckResult().getStatus());

        Replies replies = channel.request(Message.of("itest.nobody"), TIMEOUT);
        assertEquals(diagnose(replies.toString()), List.of(Reply.Status.IGNORED),
                replies.replies().stream().map(Reply::status).collect(Collectors.toList()));

        HealthCheckExecutionResult warned = executeNow("itest");
        System.out.println("after a request to an unknown action:\n" + describe(warned));
        assertEquals(describe(warned), Result.Status.WARN, warned.getHealthCheckResult().getStatus());
        assertTrue(describe(warned), entries(warned).contains("WARN ignored requests (an unknown action, or one the "
                + "whitelist refuses): 1 more since the previous check (1 in all)"));

        HealthCheckExecutionResult next = executeNow("itest");
        System.out.println("the next execution:\n" + describe(next));
        assertEquals(describe(next), Result.Status.OK, next.getHealthCheckResult().getStatus());
        assertTrue(describe(next), entries(next).contains("OK counters: errors 0, ignored 1, timeouts 0"));
    }

    @Test
    public void aCheckComesAndGoesWithItsChannelsConfiguration() throws Exception {
        org.osgi.service.cm.Configuration brief = channelConfiguration("brief");
        configure(brief, "primary", "brief", Map.of());
        awaitResult("brief", Result.Status.OK, text -> text.contains("primary listening on"));
        brief.delete();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (resultOf(executeAll(), "brief").isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse("the check of a deleted channel is still there", resultOf(executeAll(), "brief").isPresent());
        assertTrue(resultOf(executeAll(), "itest").isPresent());
    }

    @Test
    public void onlyTheHealthBundleUsesTheHealthCheckApi() {
        for (String name : List.of("mpchannel-api", "mpchannel-transport", "mpchannel-impl-primary",
                "mpchannel-impl-secondary")) {
            List<String> packages = bundle(name).adapt(BundleWiring.class).getRequiredWires(null).stream()
                    .map(BundleWire::getCapability).map(c -> String.valueOf(c.getAttributes().get("osgi.wiring.package")))
                    .collect(Collectors.toList());
            assertTrue(name + " imports " + packages, packages.stream().noneMatch(p -> p.startsWith("org.apache.felix.hc")));
        }
        assertEquals(Bundle.ACTIVE, bundle("mpchannel-health").getState());
    }

    // --- helpers ---

    private List<HealthCheckExecutionResult> executeAll() {
        return executor.execute(HealthCheckSelector.tags(TAG),
                new HealthCheckExecutionOptions().setForceInstantExecution(true));
    }

    /** One fresh execution of the channel's check (and of no other). */
    private HealthCheckExecutionResult executeNow(String channelName) {
        List<HealthCheckExecutionResult> results = executor.execute(
                HealthCheckSelector.names("mpchannel channel " + channelName),
                new HealthCheckExecutionOptions().setForceInstantExecution(true));
        assertEquals(describe(results), 1, results.size());
        return results.get(0);
    }

    private HealthCheckExecutionResult awaitResult(String channelName, Result.Status status, Predicate<String> text)
            throws InterruptedException {
        return awaitResult(this::executeAll, channelName, status, text);
    }

    private HealthCheckExecutionResult awaitResult(java.util.function.Supplier<List<HealthCheckExecutionResult>> execute,
            String channelName, Result.Status status) throws InterruptedException {
        return awaitResult(execute, channelName, status, text -> true);
    }

    /** Executes until the channel's check has this status and a line {@code text} accepts, or fails at TIMEOUT. */
    private HealthCheckExecutionResult awaitResult(java.util.function.Supplier<List<HealthCheckExecutionResult>> execute,
            String channelName, Result.Status status, Predicate<String> text) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<HealthCheckExecutionResult> results = execute.get();
        while (true) {
            Optional<HealthCheckExecutionResult> result = resultOf(results, channelName);
            if (result.isPresent() && result.get().getHealthCheckResult().getStatus() == status
                    && entries(result.get()).stream().anyMatch(text)) {
                return result.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(diagnose("no " + status + " for channel " + channelName + " in\n"
                        + describe(results)));
            }
            Thread.sleep(100);
            results = execute.get();
        }
    }

    private static Optional<HealthCheckExecutionResult> resultOf(List<HealthCheckExecutionResult> results,
            String channelName) {
        return results.stream()
                .filter(r -> ("mpchannel channel " + channelName).equals(r.getHealthCheckMetadata().getName()))
                .findFirst();
    }

    /** The result's lines as "STATUS text". */
    private static List<String> entries(HealthCheckExecutionResult result) {
        List<String> entries = new java.util.ArrayList<>();
        for (ResultLog.Entry entry : result.getHealthCheckResult()) {
            entries.add(entry.getStatus() + " " + entry.getMessage());
        }
        return entries;
    }

    private static String describe(List<HealthCheckExecutionResult> results) {
        return results.stream().map(HealthIT::describe).collect(Collectors.joining());
    }

    private static String describe(HealthCheckExecutionResult result) {
        return result.getHealthCheckMetadata().getName() + " " + result.getHealthCheckMetadata().getTags() + ": "
                + result.getHealthCheckResult().getStatus() + "\n  "
                + String.join("\n  ", entries(result)) + "\n";
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }
}
