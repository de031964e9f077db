package dev.mpchannel.itests.karaf;

import static org.junit.Assert.assertNotNull;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Felix Health Checks' executor, asked for the checks tagged mpchannel: a class of its own, so that the test loads
 * the Health Check API only once the mpchannel-health feature has installed it.
 */
final class HealthChecks {
    private HealthChecks() {
    }

    /**
     * Executes the checks tagged mpchannel until each of the checks {@code names} is OK, or fails at the timeout.
     *
     * @return every check's result, as "NAME: STATUS" and its lines indented
     */
    static String awaitOk(BundleContext context, List<String> names, Duration timeout) throws InterruptedException {
        ServiceTracker<HealthCheckExecutor, HealthCheckExecutor> tracker =
                new ServiceTracker<>(context, HealthCheckExecutor.class, null);
        tracker.open();
        try {
            HealthCheckExecutor executor = tracker.waitForService(timeout.toMillis());
            assertNotNull("no HealthCheckExecutor", executor);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                // a fresh execution each time: the executor would otherwise hand back a result up to 2 s old
                List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags("mpchannel"),
                        new HealthCheckExecutionOptions().setForceInstantExecution(true));
                boolean ok = names.stream().allMatch(name -> results.stream().anyMatch(
                        r -> name.equals(r.getHealthCheckMetadata().getName())
                                && r.getHealthCheckResult().getStatus() == Result.Status.OK));
                if (ok || System.nanoTime() > deadline) {
                    String described = results.stream().map(HealthChecks::describe).collect(Collectors.joining());
                    if (!ok) {
                        throw new AssertionError("not all of " + names + " are OK:\n" + described);
                    }
                    return described;
                }
                Thread.sleep(100);
            }
        } finally {
            tracker.close();
        }
    }

    private static String describe(HealthCheckExecutionResult result) {
        StringBuilder text = new StringBuilder(result.getHealthCheckMetadata().getName()).append(": ")
                .append(result.getHealthCheckResult().getStatus()).append('\n');
        for (ResultLog.Entry entry : result.getHealthCheckResult()) {
            text.append("  ").append(entry.getStatus()).append(' ').append(entry.getMessage()).append('\n');
        }
        return text.toString();
    }
}
