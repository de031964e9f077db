package dev.mpchannel.itests.karaf;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.environment;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.mpchannel.testkit.ChannelConfiguration;
import dev.mpchannel.testkit.karaf.KarafOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The feature mpchannel-health in a real Apache Karaf 4.4.10: installed beside mpchannel-primary and
 * mpchannel-secondary (which the test kit's {@code KarafOptions.mpchannel} installs at boot), it gives the operator's
 * channel (etc/dev.mpchannel.channel-PREFIX.cfg, written before Karaf starts), the only channel there is, a
 * health check, which Felix Health Checks' executor and the console's {@code hc:exec} run. A class of
 * its own (its own Karaf), so that the features' tests in {@link KarafFeaturesIT} see no health bundles.
 * <p>Everything here but {@link #config()} runs inside Karaf, offline, as in KarafFeaturesIT.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HealthKarafIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService featuresService;

    @Configuration
    public Option[] config() throws IOException {
        // short (a socket path must fit in 107 bytes), private, and deleted when this JVM ends
        Path scratch = KarafRun.scratch("mpch");
        String prefix = "health-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        // a channel with an empty socket.dir would live under XDG_RUNTIME_DIR: keep it private too, so that a
        // channel nobody configured could neither meet another Karaf's nor go unnoticed
        Path runtimeDir = Files.createDirectory(scratch.resolve("xdg"));
        return options(
                KarafOptions.karaf(required("mpchannel.karaf.version")),
                environment("XDG_RUNTIME_DIR=" + runtimeDir),
                // offline: this build's mpchannel artifacts first, then Karaf's system/, then the local repository
                KarafOptions.offline(Path.of(required("mpchannel.karaf.repository"))),
                // the kit's one call: both sides' features at boot, the kit, and the operator's channel
                KarafOptions.mpchannel(ChannelConfiguration.primary(prefix).socketDir(scratch.resolve("sock"))
                        .allowedActions("itest.*")),
                systemProperty(KarafRun.DRIVER_PID).value(Long.toString(ProcessHandle.current().pid())),
                systemProperty("mpchannel.itest.prefix").value(prefix),
                systemProperty("mpchannel.itest.socket.dir").value(scratch.resolve("sock").toString()),
                systemProperty(KarafRun.SCRATCH).value(scratch.toString()));
    }

    @Test
    public void theHealthFeatureChecksTheConfiguredPrimaryThroughTheExecutorAndHcExec() throws Exception {
        KarafRun.endWhenTheTestJvmIsGone();
        assertTrue(featuresService.isInstalled(featuresService.getFeature("mpchannel-primary")));
        featuresService.installFeature("mpchannel-health");
        String prefix = property("mpchannel.itest.prefix");
        String socket = Path.of(property("mpchannel.itest.socket.dir"), prefix + ".sock").toString();

        // the executor, as code would ask it (a class of its own: the HC API is there only after the install)
        String results = HealthChecks.awaitOk(context, List.of("mpchannel channel " + prefix), TIMEOUT);
        System.out.println("HealthCheckExecutor, tag mpchannel:\n" + results);
        assertTrue(results, results.contains("mpchannel channel " + prefix + ": OK\n  OK primary listening on "
                + socket + ", 0 secondaries connected\n"));
        assertFalse("a check of a channel nobody configured (the features create none)\n" + results,
                results.contains("mpchannel channel mpchannel"));

        // the console, as an operator types it
        String exec = execute("hc:exec mpchannel");
        System.out.println("hc:exec mpchannel\n" + exec);
        // a table whose columns wrap long names and lines: compare with the white space collapsed
        String flat = exec.replaceAll("\\s+", " ");
        assertTrue(exec, flat.contains(" Overall Health Result: OK "));
        assertTrue(exec, flat.contains(" mpchannel channel " + prefix + " OK "));
        assertTrue(exec, flat.contains(" primary listening on " + socket + ", 0 secondaries connected "));
        assertFalse(exec, flat.contains(" mpchannel channel mpchannel "));
        String list = execute("hc:list");
        System.out.println("hc:list\n" + list);
        assertTrue("hc:list lists the tags of the checks there are: " + list,
                list.lines().anyMatch("mpchannel"::equals));
    }

    private String execute(String... commands) throws Exception {
        return KarafConsole.execute(context, TIMEOUT, commands);
    }

    private static String property(String name) {
        return KarafRun.property(name);
    }

    private static String required(String name) {
        return KarafRun.required(name);
    }
}
