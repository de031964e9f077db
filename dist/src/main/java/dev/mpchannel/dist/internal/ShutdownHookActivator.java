package dev.mpchannel.dist.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * Stops the OSGi framework in order when the JVM shuts down (SIGTERM, SIGINT/Ctrl-C, {@code System.exit}).
 *
 * <p>The launcher of the executable jar ({@code dev.mpchannel.launcher.Main}) registers no such hook (Felix's own
 * {@code Main} does; bnd's launcher, used before, did not either), so without this bundle a SIGTERM ends the JVM with
 * no bundle stopped and no {@code @Deactivate} called: sockets would be left bound and peers would not be told
 * goodbye. Being a bundle, it does this under any launcher.
 *
 * <p>The wait is bounded ({@code mpchannel.shutdown.timeout.ms}, default 10 s) so that a component that calls
 * {@code System.exit} from a thread its own deactivation waits for cannot hang the JVM.
 */
public final class ShutdownHookActivator implements BundleActivator {

    private static final long STOP_TIMEOUT_MS = Long.getLong("mpchannel.shutdown.timeout.ms", 10_000L);

    private volatile Thread hook;

    @Override
    public void start(BundleContext context) {
        Bundle systemBundle = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        Thread t = new Thread(() -> stopFramework(systemBundle), "mpchannel-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(t);
        hook = t;
    }

    @Override
    public void stop(BundleContext context) {
        Thread t = hook;
        hook = null;
        if (t == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(t);
        } catch (IllegalStateException alreadyShuttingDown) {
            // We are being stopped by the hook itself (or the JVM is exiting anyway): nothing to undo.
        }
    }

    private static void stopFramework(Bundle systemBundle) {
        if ((systemBundle.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
            return; // already stopping or stopped (e.g. Gogo's "stop 0")
        }
        try {
            systemBundle.stop(); // asynchronous for the system bundle
            if (systemBundle instanceof Framework framework) {
                framework.waitForStop(STOP_TIMEOUT_MS);
            }
        } catch (Exception e) {
            System.err.println("mpchannel: could not stop the OSGi framework on JVM shutdown: " + e);
        }
    }
}
