package dev.mpchannel.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The main class of the executable Felix jars ({@code dist/target/mpchannel.jar}, {@code bench/bundle/target/bench.jar}):
 * starts the framework with the bundles embedded in the jar, in place of bnd's launcher (which calls
 * {@code Policy.setPolicy} and so fails on Java 24+).
 *
 * <p>It reads {@code launcher.properties} at the root of the jar, as bnd's exporter writes it from the .bndrun:
 * <ul>
 * <li>{@code launch.bundles}: the bundles to install, paths inside the jar, in this order (the {@code -runbundles}
 * that bnd resolved at build time from {@code -runrequires});
 * <li>{@code launch.system.packages}, {@code launch.system.capabilities}: passed on as the framework's
 * {@code org.osgi.framework.system.packages.extra} / {@code .capabilities.extra}, as bnd's launcher does; other
 * {@code launch.*} keys (bnd's launcher options) are ignored;
 * <li>every other key is a {@code -runproperties} default: a {@code -Dkey=value} on the java command line overrides
 * it. Each becomes a framework property, and a system property where none is set, so that code reading system
 * properties (slf4j-simple) sees the jar's defaults too.
 * </ul>
 * Without {@code org.osgi.framework.storage} the framework uses a fresh temp dir, which a shutdown hook removes
 * (after stopping the framework, so that nothing writes into it meanwhile).
 *
 * <p>Bundles are installed, resolved together, then started in order (fragments are not started). A bundle that
 * fails to start is reported on stderr and the others go on, as under bnd's launcher. The bundles whose symbolic
 * names the property {@value #INSTALL_ONLY} lists (comma-separated; a {@code -runproperties} default like any other,
 * so {@code -Dlauncher.install.only=} starts them all) are installed and resolved but not started: {@code lb} shows
 * them {@code Resolved}, and {@code start ID} starts one. mpchannel.jar installs its demo bundle so.
 *
 * <p>Exit codes: 0 when the framework stops (Gogo's {@code stop 0}); 1 when the launch fails or the framework stops
 * on an error; 2 for command-line arguments (there are none). A {@code System.exit} from a bundle keeps its code, and a
 * signal ends the JVM as usual (SIGTERM: 143). This class registers no hook that stops the framework on SIGTERM: in
 * mpchannel.jar the dist bundle does that (its ShutdownHookActivator), whatever launcher started it.
 */
public final class Main {
    /** Written into the jar by bnd's exporter. */
    static final String LAUNCHER_PROPERTIES = "launcher.properties";
    static final String BUNDLES = "launch.bundles";
    static final String SYSTEM_PACKAGES = "launch.system.packages";
    static final String SYSTEM_CAPABILITIES = "launch.system.capabilities";
    /** Bundles (symbolic names, comma-separated) installed but not started. */
    static final String INSTALL_ONLY = "launcher.install.only";

    private static final int STOPPED = 0;
    private static final int FAILED = 1;
    private static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.err.println("usage: java [-Dkey=value ...] -jar JAR   (no arguments: configure with system properties)");
            System.exit(USAGE);
        }
        int code;
        try {
            code = run(load());
        } catch (Exception e) {
            System.err.println("launcher: the OSGi framework could not be started: " + e);
            e.printStackTrace();
            code = FAILED;
        }
        System.exit(code);
    }

    /** Starts the framework and waits for it to stop; returns the exit code. */
    static int run(Properties launch) throws Exception {
        Map<String, String> config = new HashMap<>();
        for (String key : launch.stringPropertyNames()) {
            if (key.startsWith("launch.")) {
                continue;
            }
            String value = System.getProperty(key);
            if (value == null) {
                value = launch.getProperty(key);
                System.setProperty(key, value);
            }
            config.put(key, value);
        }
        putIfSet(config, Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, launch.getProperty(SYSTEM_PACKAGES));
        putIfSet(config, Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA, launch.getProperty(SYSTEM_CAPABILITIES));

        String storage = System.getProperty(Constants.FRAMEWORK_STORAGE, config.get(Constants.FRAMEWORK_STORAGE));
        Path tempStorage = null;
        if (storage == null || storage.isBlank()) {
            tempStorage = Files.createTempDirectory("osgi-framework-");
            storage = tempStorage.toString();
        }
        config.put(Constants.FRAMEWORK_STORAGE, storage);

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Main.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework (FrameworkFactory) in the jar"));
        Framework framework = factory.newFramework(config);
        if (tempStorage != null) {
            Path dir = tempStorage;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopQuietly(framework);
                delete(dir);
            }, "launcher-remove-temp-storage"));
        }
        framework.init();
        List<Bundle> bundles;
        try {
            bundles = install(framework.getBundleContext(), launch.getProperty(BUNDLES, ""));
        } catch (Exception e) {
            stopQuietly(framework);
            throw e;
        }
        framework.start();
        framework.adapt(FrameworkWiring.class).resolveBundles(bundles);
        Set<String> installOnly = names(config.getOrDefault(INSTALL_ONLY, System.getProperty(INSTALL_ONLY, "")));
        for (Bundle bundle : bundles) {
            if ((bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0
                    || installOnly.contains(bundle.getSymbolicName())) {
                continue;
            }
            try {
                bundle.start(Bundle.START_ACTIVATION_POLICY);
            } catch (BundleException | RuntimeException e) {
                System.err.println("launcher: bundle " + bundle.getSymbolicName() + " " + bundle.getVersion()
                        + " did not start: " + e);
            }
        }

        FrameworkEvent stopped = framework.waitForStop(0);
        switch (stopped.getType()) {
            case FrameworkEvent.STOPPED:
                return STOPPED;
            case FrameworkEvent.ERROR:
                System.err.println("launcher: the OSGi framework stopped on an error: " + stopped.getThrowable());
                return FAILED;
            default: // STOPPED_UPDATE, STOPPED_SYSTEM_REFRESHED: a restart was asked for
                System.err.println("launcher: the OSGi framework stopped for a restart, which this launcher does not do;"
                        + " start the jar again");
                return STOPPED;
        }
    }

    /** launcher.properties from the jar this class is in. */
    static Properties load() throws IOException {
        Properties launch = new Properties();
        try (InputStream in = Main.class.getClassLoader().getResourceAsStream(LAUNCHER_PROPERTIES)) {
            if (in == null) {
                throw new IOException("no " + LAUNCHER_PROPERTIES + " in the jar");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                launch.load(reader);
            }
        }
        return launch;
    }

    private static List<Bundle> install(BundleContext context, String paths) throws IOException, BundleException {
        List<Bundle> bundles = new ArrayList<>();
        for (String path : paths.split(",")) {
            path = path.trim();
            if (path.isEmpty()) {
                continue;
            }
            try (InputStream in = Main.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IOException("bundle " + path + " is not in the jar");
                }
                bundles.add(context.installBundle(path, in));
            }
        }
        return bundles;
    }

    /** The names of a comma-separated list, blanks dropped. */
    static Set<String> names(String list) {
        Set<String> names = new HashSet<>();
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                names.add(name.strip());
            }
        }
        return names;
    }

    private static void putIfSet(Map<String, String> config, String key, String value) {
        if (value != null && !value.isBlank()) {
            config.put(key, value);
        }
    }

    private static void stopQuietly(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(Long.getLong("mpchannel.shutdown.timeout.ms", 10_000L));
        } catch (Exception | LinkageError e) {
            // the JVM is going away, or the framework never started
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort, like any temp dir
        }
    }
}
