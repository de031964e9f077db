package dev.mpchannel.webconsole;

import dev.mpchannel.api.Channel;
import dev.mpchannel.transport.text.Printable;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Runs the {@code mpchannel} health checks through the Health Check executor, as {@code hc:exec mpchannel} does (the
 * executor keeps each result for its cache time, so a page refreshing often does not run them more often). Only
 * loaded when the Health Check API is wired ({@link HealthJson}).
 */
final class HealthCheckReading {
    /** The tag of mpchannel-health's checks. */
    static final String TAG = "mpchannel";

    private HealthCheckReading() {
    }

    /** Executes the checks tagged {@code mpchannel} and returns their results as JSON (see {@link HealthJson}). */
    static String read(BundleContext context) {
        ServiceReference<HealthCheckExecutor> reference = context.getServiceReference(HealthCheckExecutor.class);
        HealthCheckExecutor executor = reference == null ? null : context.getService(reference);
        if (executor == null) {
            return HealthJson.unavailable("no Health Check executor runs (install org.apache.felix.healthcheck.core)");
        }
        try {
            List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags(TAG));
            JsonText json = new JsonText().beginObject().member("available", true).name("checks").beginArray();
            results.stream().sorted(Comparator.comparing(r -> r.getHealthCheckMetadata().getName()))
                    .forEach(result -> check(json, result));
            return json.endArray().endObject().toString();
        } finally {
            context.ungetService(reference);
        }
    }

    private static void check(JsonText json, HealthCheckExecutionResult execution) {
        Object channel = execution.getHealthCheckMetadata().getServiceReference().getProperty(Channel.NAME);
        Result result = execution.getHealthCheckResult();
        json.beginObject()
                .member("channel", channel == null ? null : Printable.escape(channel.toString()))
                .member("name", Printable.escape(execution.getHealthCheckMetadata().getName()))
                .member("status", status(result.getStatus()))
                .name("log").beginArray();
        for (ResultLog.Entry entry : result) {
            if (!entry.isDebug()) {
                json.beginObject().member("status", status(entry.getStatus()))
                        .member("message", Printable.escape(entry.getMessage())).endObject();
            }
        }
        json.endArray().endObject();
    }

    private static String status(Result.Status status) {
        return status.name().toUpperCase(Locale.ROOT);
    }
}
