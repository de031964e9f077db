package dev.mpchannel.webconsole;

import org.osgi.framework.BundleContext;

/**
 * The verdicts of the channels' health checks (bundle {@code mpchannel-health}, tag {@code mpchannel}), as JSON,
 * when Felix Health Checks are installed; {@code {"available":false,...}} with the reason when they are not. The API
 * is an optional import: its classes are touched only through {@link HealthCheckReading}, once it is known to be
 * wired.
 */
final class HealthJson {
    private static final boolean API_WIRED = apiWired();

    private HealthJson() {
    }

    /** The verdicts of every {@code mpchannel} check, or why there are none. */
    static String of(BundleContext context) {
        if (!API_WIRED) {
            return unavailable("Felix Health Checks are not installed (org.apache.felix.hc.api is not wired to this"
                    + " bundle); install them and mpchannel-health for a verdict per channel");
        }
        return HealthCheckReading.read(context);
    }

    /** {@code {"available":false,"reason":why}}. */
    static String unavailable(String why) {
        return new JsonText().beginObject().member("available", false).member("reason", why).endObject().toString();
    }

    private static boolean apiWired() {
        try {
            Class.forName("org.apache.felix.hc.api.execution.HealthCheckExecutor", false,
                    HealthJson.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
