package dev.mpchannel.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.environment;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.testkit.ChannelAssertions;
import dev.mpchannel.testkit.ChannelConfiguration;
import dev.mpchannel.testkit.PeerProcess;
import dev.mpchannel.testkit.karaf.KarafOptions;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.karaf.features.ConfigInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The features repository in a real Apache Karaf (the distribution from Maven Central, in its own JVM, provisioned
 * by the test kit's {@link KarafOptions}): Karaf boots with the features repository registered and mpchannel-api
 * installed; the tests install mpchannel-primary the way {@code feature:install} does, over the operator's channel
 * {@code etc/dev.mpchannel.channel-PREFIX.cfg} written before
 * Karaf started (a factory configuration of {@code dev.mpchannel.channel}: private socket directory, unique prefix,
 * whitelist {@code itest.*, demo.hello}). The side's feature adds no channel of its own; the feature
 * {@code mpchannel-default-channel}, installed where a test asks for it, adds {@code etc/dev.mpchannel.channel-default.cfg}
 * (prefix {@code mpchannel}, socket under the {@code XDG_RUNTIME_DIR} this test gives Karaf). A secondary is a further
 * JVM process: the dist's executable Felix jar with the demo bundle, started from inside Karaf by the kit's
 * {@link PeerProcess}.
 *
 * <p>Everything here but {@link #config()} runs inside Karaf. Karaf resolves mvn: URLs offline: the mpchannel
 * artifacts from this module's target/karaf-repo (a Maven-layout copy of the reactor's, read in place), everything
 * else from Karaf's system/ folder or the local Maven repository, which the build filled beforehand.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeaturesIT {
    /** Long enough never to be reached unless the behaviour under test is broken. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String FACTORY_PID = "dev.mpchannel.channel";
    /** mpchannel-default-channel's configuration, {@code <config name="dev.mpchannel.channel-default">}. */
    private static final String FEATURE_ALIAS = "default";
    private static final String FEATURE_CONFIG = FACTORY_PID + "-" + FEATURE_ALIAS;
    /** The property by which Karaf finds the configuration it created from a feature's {@code <config>}. */
    private static final String CONFIG_KEY = "org.apache.karaf.features.configKey";
    /** The prefix, and so the channel name, of the default channel's configuration (the Metatype default). */
    private static final String DEFAULT_CHANNEL = "mpchannel";
    private static final String PRIMARY_FEATURE = "mpchannel-primary";
    private static final String SECONDARY_FEATURE = "mpchannel-secondary";
    private static final String DEFAULT_FEATURE = "mpchannel-default-channel";

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService featuresService;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private MetaTypeService metaTypeService;

    // --- the driver side: runs in the failsafe JVM, before Karaf starts ---

    @Configuration
    public Option[] config() throws IOException {
        // Short (a socket path must fit in 107 bytes), private, and deleted when this JVM ends whatever happened
        Path scratch = KarafRun.scratch("mpck");
        String prefix = "itest-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        Path socketDir = scratch.resolve("sock");
        // where a channel with an empty socket.dir lives in Karaf: the default channel's (see the default-channel tests)
        Path runtimeDir = Files.createDirectory(scratch.resolve("xdg"));
        Path repository = Path.of(required("mpchannel.karaf.repository")).toAbsolutePath();
        return options(
                KarafOptions.karaf(required("mpchannel.karaf.version")),
                environment("XDG_RUNTIME_DIR=" + runtimeDir),
                // the build's mpchannel artifacts first (read in place, so a stale snapshot installed in the local
                // repository cannot stand in for them)
                KarafOptions.offline(repository),
                // The operator's channel exists before the feature is installed, as an operator would write it
                KarafOptions.channels(ChannelConfiguration.primary(prefix).socketDir(socketDir)
                        .allowedActions("itest.*", "demo.hello")),
                // feature:repo-add at boot, and the api feature so that this probe can use the api's types; the
                // kit's bundle to start the secondaries
                KarafOptions.features("mpchannel-api"),
                KarafOptions.testkit(),
                systemProperty(KarafRun.DRIVER_PID).value(Long.toString(ProcessHandle.current().pid())),
                systemProperty("mpchannel.itest.prefix").value(prefix),
                systemProperty("mpchannel.itest.socket.dir").value(socketDir.toString()),
                systemProperty(KarafRun.SCRATCH).value(scratch.toString()),
                systemProperty("mpchannel.itest.repository").value(repository.toString()),
                systemProperty("mpchannel.itest.version").value(required("mpchannel.version")),
                systemProperty("mpchannel.itest.dist.jar").value(new File(required("mpchannel.dist.jar")).getAbsolutePath()));
    }

    // --- the tests: run inside Karaf ---

    /**
     * Pax Exam stops Karaf when the tests end, and the test JVM's shutdown hook kills what is left (Karaf, the
     * secondaries) when that JVM exits early. Should the test JVM be killed outright, this ends the secondaries and
     * Karaf and removes the scratch directory.
     */
    @Before
    public void exitWhenTheTestJvmIsGone() {
        KarafRun.endWhenTheTestJvmIsGone();
    }

    @Test
    public void installingTheFeatureKeepsTheExistingConfigurationAndStartsThePrimary() throws Exception {
        ensurePrimaryFeatureInstalled();

        // the operator's channel is still exactly what etc/dev.mpchannel.channel-PREFIX.cfg said before the install
        Map<String, String> expected = Map.of(
                "role", "primary",
                "prefix", property("mpchannel.itest.prefix"),
                "socket.dir", property("mpchannel.itest.socket.dir"),
                "allowed.actions", "itest.*,demo.hello");
        assertEquals(expected, channelConfiguration(operatorsAlias()));
        assertEquals(expected, readCfgFileWhen(operatorsAlias(), expected::equals));
        assertNull("the feature marked the operator's configuration as its own",
                configuration(operatorsAlias()).getProperties().get(CONFIG_KEY));

        // what the feature brought, in the versions this build made
        assertTrue(featuresService.isInstalled(featuresService.getFeature("scr")));
        for (String artifact : List.of("mpchannel-api", "mpchannel-transport", "mpchannel-impl-primary")) {
            Bundle bundle = bundle(artifact);
            assertNotNull(artifact + " is not installed", bundle);
            assertEquals(artifact, Bundle.ACTIVE, bundle.getState());
            assertEquals("mvn:dev.mpchannel/" + artifact + "/" + property("mpchannel.itest.version"), bundle.getLocation());
            assertEquals(artifact + " is not the one this build made", builtBundleVersion(artifact),
                    bundle.getVersion().toString());
        }
        assertNull("the secondary's bundle came along", bundle("mpchannel-impl-secondary"));

        ServiceReference<Channel> channel = awaitChannelReference();
        assertEquals(property("mpchannel.itest.prefix"), channel.getProperty("mp.channel"));
        assertEquals("primary", channel.getProperty("mp.role"));
        assertEquals("itest.*,demo.hello", asString(channel.getProperty("allowed.actions")));
        Path socket = operatorsSocket();
        assertEquals(socket.toString(), channel.getProperty("mp.socket.path"));
        assertTrue("no socket at " + socket, Files.exists(socket));
    }

    @Test
    public void thePrimaryInKarafExchangesMessagesWithASecondaryProcess() throws Exception {
        ensurePrimaryFeatureInstalled();
        ServiceReference<Channel> reference = awaitChannelReference();
        Channel channel = context.getService(reference);
        List<ServiceRegistration<Action>> registrations = new ArrayList<>();
        try (PeerProcess secondary = PeerProcess.secondaryOf(channel).allowedActions("demo.*")
                .configuration("dev.mpchannel.demo", Map.of("run", "false"))
                // start the demo bundle too (the distribution only installs it): its actions answer the tests
                .systemProperty("launcher.install.only", "")
                .vmOption("-Xmx128m")
                .distJar(Path.of(property("mpchannel.itest.dist.jar")))
                .workDirectory(Path.of(property(KarafRun.SCRATCH), "secondary"))
                .start()) {
            secondary.awaitConnected(TIMEOUT);
            for (String action : List.of("demo.echo", "demo.tell", "demo.ask")) {
                secondary.awaitActionBound(action, TIMEOUT);
            }
            long pid = secondary.pid();
            Peer peer = ChannelAssertions.awaitPeer(channel, pid, TIMEOUT);
            assertFalse(ProcessHandle.current().pid() == peer.pid());

            // primary -> secondary: a request its demo bundle answers
            Replies echoes = channel.request(Message.of("demo.echo", "from karaf"), TIMEOUT);
            assertEquals(1, echoes.sent());
            assertEquals(diagnose(echoes.toString(), secondary), 1, echoes.received());
            assertEquals("pid " + pid + " echoes 'from karaf'", echoes.replies().get(0).message().paramsAsString());

            // secondary -> primary: a message to an action registered here (the secondary's demo.tell sends it)
            BlockingQueue<String> greetings = new LinkedBlockingQueue<>();
            registrations.add(register("demo.hello", context -> {
                greetings.add(context.peer().pid() + ":" + context.message().paramsAsString());
                return null;
            }));
            assertEquals(1, channel.send(Message.of("demo.tell", "over")));
            String greeting = greetings.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(diagnose("no demo.hello came from the secondary", secondary), greeting);
            assertTrue(greeting, greeting.startsWith(pid + ":hello from secondary pid " + pid));

            // secondary -> primary: a request to an action registered here (the secondary's demo.ask makes it)
            registrations.add(register("itest.whoami",
                    context -> Message.of("itest.whoami", "karaf served pid " + context.peer().pid())));
            Replies asked = channel.request(Message.of("demo.ask", "itest.whoami"), TIMEOUT);
            assertEquals(diagnose(asked.toString(), secondary), 1, asked.received());
            assertEquals("REPLIED:karaf served pid " + pid, asked.replies().get(0).message().paramsAsString());
        } finally {
            registrations.forEach(ServiceRegistration::unregister);
            context.ungetService(reference);
        }
    }

    @Test
    public void theShellCommandsWorkInKarafsConsole() throws Exception {
        ensurePrimaryFeatureInstalled();
        featuresService.installFeature("mpchannel-shell");
        String prefix = property("mpchannel.itest.prefix");
        featuresService.installFeature(DEFAULT_FEATURE); // a second channel, mpchannel (role=auto: the primary here)
        try {
            awaitChannelReference();
            awaitChannelReference("primary", DEFAULT_CHANNEL);
            checkShellCommandsWithTwoChannels(prefix);
        } finally {
            featuresService.uninstallFeature(DEFAULT_FEATURE, EnumSet.of(FeaturesService.Option.DeleteConfigurations));
            assertNoChannel(DEFAULT_CHANNEL);
            awaitFileInstallScan();
        }
    }

    private void checkShellCommandsWithTwoChannels(String prefix) throws Exception {

        // mp:status: a block per channel, each opened by its name (the prefix), in name order
        String status = execute("mp:status");
        String operators = "name      " + prefix + "\n"
                + "role      primary\n"
                + "channel   " + prefix + " at " + operatorsSocket() + "\n"
                + "state     LISTENING\n";
        assertTrue(status, status.startsWith(operators));
        assertTrue(status, status.contains("\nname      " + DEFAULT_CHANNEL + "\nrole      primary\n"));
        String one = execute("mp:status -c " + prefix);
        assertTrue(one, one.startsWith(operators) && !one.contains("name      " + DEFAULT_CHANNEL));

        // two channels: a command without -c names them and asks for one
        String ambiguous = execute("mp:request -t 1s demo.nobody");
        assertTrue(ambiguous, ambiguous.startsWith("2 channels: " + prefix + " (primary), " + DEFAULT_CHANNEL
                + " (primary); pick one with -c NAME"));
        String request = execute("mp:request -c " + prefix + " -t 1s demo.nobody");
        assertTrue(request, request.startsWith("sent 0, received 0"));
        String unknown = execute("mp:peers -c nosuch");
        assertTrue(unknown, unknown.startsWith("no channel named 'nosuch'; the channels are: " + prefix));
        String refused = execute("mp:request -c " + prefix + " -t soon demo.echo");
        assertTrue(refused, refused.contains("timeout 'soon' is not a duration"));
    }

    @Test
    public void onlyTheDefaultChannelFeatureCarriesAConfigurationTheMetatypeDefaultsWithRoleAuto() throws Exception {
        ensurePrimaryFeatureInstalled();
        for (String side : List.of(PRIMARY_FEATURE, SECONDARY_FEATURE)) {
            assertEquals(side + " carries a configuration", List.of(),
                    featuresService.getFeature(side).getConfigurations());
            assertEquals(side + " carries a configuration file", List.of(),
                    featuresService.getFeature(side).getConfigurationFiles());
        }
        Map<String, String> expected = metatypeDefaults();
        expected.put("role", "auto");
        assertEquals(DEFAULT_FEATURE, expected, featureConfiguration(DEFAULT_FEATURE));
        // the console describes the factory PID from the same Metatype
        String meta = execute("config:meta " + FACTORY_PID);
        assertTrue(meta, meta.startsWith("Meta type informations for factory pid: " + FACTORY_PID + "\n"));
        assertTrue(meta, meta.contains("allowed.actions"));
    }

    @Test
    public void installingASideCreatesNoChannelAndTheDefaultChannelFeatureCreatesOne() throws Exception {
        ensurePrimaryFeatureInstalled();
        Map<String, String> operators = channelConfiguration(operatorsAlias());
        Path defaultSocket = Path.of(System.getenv("XDG_RUNTIME_DIR"), "mpchannel", DEFAULT_CHANNEL + ".sock");
        // mpchannel-primary started the operator's channel and nothing else: no configuration, file or socket of
        // a channel nobody configured
        awaitChannelReference();
        assertNull(configurations(FEATURE_ALIAS));
        assertFalse(Files.exists(cfgFile(FEATURE_ALIAS)));
        assertNoChannel(DEFAULT_CHANNEL);
        assertFalse(defaultSocket + " exists", Files.exists(defaultSocket));
        try {
            // asked for, mpchannel-default-channel creates the factory configuration "default" and
            // etc/dev.mpchannel.channel-default.cfg: the Metatype defaults and role=auto
            featuresService.installFeature(DEFAULT_FEATURE);
            Map<String, String> expected = metatypeDefaults();
            expected.put("role", "auto");
            assertEquals(expected, channelConfiguration(FEATURE_ALIAS));
            assertEquals(expected, readCfgFileWhen(FEATURE_ALIAS, expected::equals));
            assertEquals(FACTORY_PID + "-" + FEATURE_ALIAS, configuration(FEATURE_ALIAS).getProperties().get(CONFIG_KEY));
            assertEquals(FACTORY_PID + "~" + FEATURE_ALIAS, configuration(FEATURE_ALIAS).getPid());
            // its channel: the primary (role=auto, mpchannel-primary installed, no other primary), at the default
            // socket path (XDG_RUNTIME_DIR is set for Karaf)
            ServiceReference<Channel> primary = awaitChannelReference("primary", DEFAULT_CHANNEL);
            assertEquals(defaultSocket.toString(), primary.getProperty("mp.socket.path"));

            // feature:uninstall -c deletes that configuration and its file, and no other channel's
            featuresService.uninstallFeature(DEFAULT_FEATURE, EnumSet.of(FeaturesService.Option.DeleteConfigurations));
            assertFalse(Files.exists(cfgFile(FEATURE_ALIAS)));
            assertNull(configurations(FEATURE_ALIAS));
            assertNoChannel(DEFAULT_CHANNEL);
            assertEquals(operators, channelConfiguration(operatorsAlias()));
            assertTrue(Files.exists(cfgFile(operatorsAlias())));
            awaitChannelReference();
        } finally {
            if (featuresService.isInstalled(featuresService.getFeature(DEFAULT_FEATURE))) {
                featuresService.uninstallFeature(DEFAULT_FEATURE,
                        EnumSet.of(FeaturesService.Option.DeleteConfigurations));
            }
            awaitFileInstallScan();
        }
    }

    @Test
    public void aDefaultFileTheOperatorWroteIsKeptByInstallAndDeletedByUninstallDashC() throws Exception {
        ensurePrimaryFeatureInstalled();
        String prefix = property("mpchannel.itest.prefix") + "-d";
        Map<String, String> written = Map.of(
                "role", "primary",
                "prefix", prefix,
                "socket.dir", property("mpchannel.itest.socket.dir"));
        try {
            Properties file = new Properties();
            file.putAll(written);
            try (var out = Files.newBufferedWriter(cfgFile(FEATURE_ALIAS))) {
                file.store(out, null);
            }
            awaitConfiguration(FEATURE_ALIAS, prefix);

            // feature:install finds the file and leaves it, and the configuration FileInstall made of it, alone
            featuresService.installFeature(DEFAULT_FEATURE);
            assertEquals(written, channelConfiguration(FEATURE_ALIAS));
            assertEquals(written, readCfgFileWhen(FEATURE_ALIAS, written::equals));
            assertEquals(Path.of(property("mpchannel.itest.socket.dir"), prefix + ".sock").toString(),
                    awaitChannelReference("primary", prefix).getProperty("mp.socket.path"));
            assertNoChannel(DEFAULT_CHANNEL);

            // feature:uninstall -c deletes etc/dev.mpchannel.channel-default.cfg though Karaf did not write it
            // (FileInstall then deletes its configuration); the operator's other channel stays
            featuresService.uninstallFeature(DEFAULT_FEATURE, EnumSet.of(FeaturesService.Option.DeleteConfigurations));
            assertFalse(Files.exists(cfgFile(FEATURE_ALIAS)));
            awaitNoConfiguration(FEATURE_ALIAS);
            assertNoChannel(prefix);
            assertEquals(property("mpchannel.itest.prefix"), channelConfiguration(operatorsAlias()).get("prefix"));
        } finally {
            if (featuresService.isInstalled(featuresService.getFeature(DEFAULT_FEATURE))) {
                featuresService.uninstallFeature(DEFAULT_FEATURE);
            }
            Files.deleteIfExists(cfgFile(FEATURE_ALIAS));
            awaitNoConfiguration(FEATURE_ALIAS);
        }
    }

    @Test
    public void uninstallingTheFeatureStopsThePrimaryAndKeepsTheConfiguration() throws Exception {
        ensurePrimaryFeatureInstalled();
        awaitChannelReference();
        Path socket = operatorsSocket();
        assertTrue(Files.exists(socket));

        featuresService.uninstallFeature(PRIMARY_FEATURE); // feature:uninstall, without -c

        assertFalse(featuresService.isInstalled(featuresService.getFeature(PRIMARY_FEATURE)));
        assertNull(bundle("mpchannel-impl-primary"));
        assertNull(context.getServiceReference(Channel.class));
        assertFalse("the primary left its socket behind", Files.exists(socket));
        // the operator's configuration and file stay
        assertEquals(property("mpchannel.itest.prefix"), channelConfiguration(operatorsAlias()).get("prefix"));
        assertEquals(property("mpchannel.itest.prefix"), readCfgFileWhen(operatorsAlias(),
                file -> property("mpchannel.itest.prefix").equals(file.get("prefix"))).get("prefix"));
    }

    /**
     * What Karaf's scr shows for a primary: per channel configuration one active ChannelLauncher, which started one
     * component instance of the primary's factory, active; nothing of the secondary's side (its bundle is not
     * installed).
     */
    @Test
    public void scrShowsOneActivePrimaryPerChannelAndNoSecondarySide() throws Exception {
        ensurePrimaryFeatureInstalled();
        awaitChannelReference();
        String components = Scr.checkPrimaries(context, List.of(property("mpchannel.itest.prefix")),
                TIMEOUT.toMillis());

        String list = execute("scr:list");
        assertTrue(list + components, list.contains(Scr.LAUNCHER));
        assertTrue(list + components, list.contains("State:ACTIVE, PID(s): [" + FACTORY_PID + "~" + operatorsAlias() + "]"));
        assertTrue(list + components, list.contains(Scr.PRIMARY));
        assertFalse(list + components, list.contains(Scr.SECONDARY));
    }

    /**
     * A channel typed in the console as docs/karaf.md has it: config:edit --factory --alias, the keys, config:update;
     * it runs beside the others, config:edit with a filter changes it, and config:delete ends it and deletes its file.
     */
    @Test
    public void aChannelCreatedInTheConsoleRunsBesideTheOthers() throws Exception {
        ensurePrimaryFeatureInstalled();
        featuresService.installFeature("mpchannel-shell");
        String prefix = property("mpchannel.itest.prefix") + "-2";
        String alias = "itest2";
        try {
            String edit = execute(
                    "config:edit --factory --alias " + alias + " " + FACTORY_PID,
                    "config:property-set role primary",
                    "config:property-set prefix " + prefix,
                    "config:property-set socket.dir " + property("mpchannel.itest.socket.dir"),
                    "config:property-set allowed.actions itest.*",
                    "config:update");
            assertTrue(edit, Files.exists(cfgFile(alias)));
            ServiceReference<Channel> channel = awaitChannelReference("primary", prefix);
            assertEquals(Path.of(property("mpchannel.itest.socket.dir"), prefix + ".sock").toString(),
                    channel.getProperty("mp.socket.path"));
            assertEquals(prefix, readCfgFileWhen(alias, file -> prefix.equals(file.get("prefix"))).get("prefix"));

            String configs = execute("config:list '(service.factoryPid=" + FACTORY_PID + ")'");
            for (String name : List.of(property("mpchannel.itest.prefix"), prefix)) {
                assertTrue(configs, configs.contains("prefix = " + name + "\n"));
            }
            String status = execute("mp:status");
            assertTrue(status, status.contains("name      " + prefix + "\n"));
            awaitChannelReference();

            String changed = execute(
                    "config:edit '(&(service.factoryPid=" + FACTORY_PID + ")(prefix=" + prefix + "))'",
                    "config:property-set allowed.actions 'itest.*,demo.hello'",
                    "config:update");
            assertEquals(changed, "itest.*,demo.hello", readCfgFileWhen(alias,
                    file -> "itest.*,demo.hello".equals(file.get("allowed.actions"))).get("allowed.actions"));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!"itest.*,demo.hello".equals(asString(awaitChannelReference("primary", prefix)
                    .getProperty("allowed.actions"))) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals("itest.*,demo.hello",
                    asString(awaitChannelReference("primary", prefix).getProperty("allowed.actions")));

            String pid = configuration(alias).getPid();
            assertTrue(pid, pid.startsWith(FACTORY_PID + "."));
            // FileInstall has seen the file config:update wrote (else its scan could bring the file back as a
            // configuration while the deletion is under way)
            awaitFileInstallScan();
            execute("config:delete " + pid);
            assertNoChannel(prefix);
            awaitFileGone(cfgFile(alias));
            awaitNoConfiguration(alias);
        } finally {
            Files.deleteIfExists(cfgFile(alias));
            org.osgi.service.cm.Configuration[] left = configurations(alias);
            for (org.osgi.service.cm.Configuration configuration : left == null
                    ? new org.osgi.service.cm.Configuration[0] : left) {
                configuration.delete();
            }
        }
    }

    // --- helpers (inside Karaf) ---

    /** Commands typed in Karaf's console (see {@link KarafConsole}). */
    private String execute(String... commands) throws Exception {
        return KarafConsole.execute(context, TIMEOUT, commands);
    }

    /** feature:install mpchannel-primary, unless a previous test did. */
    private void ensurePrimaryFeatureInstalled() throws Exception {
        Feature primary = featuresService.getFeature(PRIMARY_FEATURE);
        assertNotNull("the features repository was not added at boot", primary);
        if (!featuresService.isInstalled(primary)) {
            featuresService.installFeature(PRIMARY_FEATURE);
        }
    }

    /** Every attribute of the Metatype Karaf reads for factory PID dev.mpchannel.channel with its default. */
    private Map<String, String> metatypeDefaults() {
        // mpchannel-transport carries the Metatype, designated for the factory PID (not for a PID of that name)
        org.osgi.service.metatype.MetaTypeInformation information =
                metaTypeService.getMetaTypeInformation(bundle("mpchannel-transport"));
        assertTrue(Arrays.toString(information.getFactoryPids()),
                Arrays.asList(information.getFactoryPids()).contains(FACTORY_PID));
        assertFalse(Arrays.toString(information.getPids()), Arrays.asList(information.getPids()).contains(FACTORY_PID));
        ObjectClassDefinition ocd = information.getObjectClassDefinition(FACTORY_PID, null);
        assertNotNull("no Metatype for " + FACTORY_PID, ocd);
        Map<String, String> defaults = new HashMap<>();
        for (AttributeDefinition attribute : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            String[] values = attribute.getDefaultValue();
            defaults.put(attribute.getID(), values == null ? "" : String.join(",", values));
        }
        assertTrue(defaults.toString(), defaults.containsKey("role") && defaults.containsKey("allowed.actions"));
        assertEquals(DEFAULT_CHANNEL, defaults.get("prefix"));
        return defaults;
    }

    /** The operator's channel's primary. */
    private ServiceReference<Channel> awaitChannelReference() throws Exception {
        return awaitChannelReference("primary", property("mpchannel.itest.prefix"));
    }

    private ServiceReference<Channel> awaitChannelReference(String role, String channel) throws Exception {
        ServiceTracker<Channel, Channel> tracker = new ServiceTracker<>(context, context.createFilter(
                "(&(" + Constants.OBJECTCLASS + "=" + Channel.class.getName() + ")(mp.role=" + role + ")(mp.channel="
                        + channel + "))"), null);
        tracker.open();
        try {
            assertNotNull("no " + role + " Channel service for channel " + channel + "\n" + karafLogTail(),
                    tracker.waitForService(TIMEOUT.toMillis()));
            return tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }

    /** Waits until no Channel service serves {@code channel}. */
    private void assertNoChannel(String channel) throws Exception {
        String filter = "(mp.channel=" + channel + ")";
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (context.getServiceReferences(Channel.class, filter).size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("Channel services of channel " + channel, 0,
                context.getServiceReferences(Channel.class, filter).size());
    }

    private ServiceRegistration<Action> register(String name, Action action) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Action.NAME, name);
        return context.registerService(Action.class, action, properties);
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElse(null);
    }

    /** The Bundle-Version of the jar the build put in the repository Karaf reads. */
    private static String builtBundleVersion(String artifact) throws IOException {
        String version = property("mpchannel.itest.version");
        Path jar = Path.of(property("mpchannel.itest.repository"), "dev", "mpchannel", artifact, version,
                artifact + "-" + version + ".jar");
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue(Constants.BUNDLE_VERSION);
        }
    }

    /**
     * The operator's channel: etc/dev.mpchannel.channel-PREFIX.cfg, written before Karaf starts (the kit names a
     * channel's file after the channel).
     */
    private static String operatorsAlias() {
        return property("mpchannel.itest.prefix");
    }

    private static Path operatorsSocket() {
        return Path.of(property("mpchannel.itest.socket.dir"), property("mpchannel.itest.prefix") + ".sock");
    }

    /**
     * The factory configurations of dev.mpchannel.channel kept in etc/dev.mpchannel.channel-ALIAS.cfg, or null:
     * FileInstall and Karaf's config commands record the file in felix.fileinstall.filename; a feature's
     * configuration is marked by its config key, and has the file name only once FileInstall has read the file.
     */
    private org.osgi.service.cm.Configuration[] configurations(String alias) throws Exception {
        return configurationAdmin.listConfigurations("(&(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + FACTORY_PID
                + ")(|(felix.fileinstall.filename=*/" + FACTORY_PID + "-" + alias + ".cfg)(" + CONFIG_KEY + "="
                + FACTORY_PID + "-" + alias + ")))");
    }

    private org.osgi.service.cm.Configuration configuration(String alias) throws Exception {
        org.osgi.service.cm.Configuration[] found = configurations(alias);
        assertNotNull("no configuration " + FACTORY_PID + "-" + alias + "; there are "
                + Arrays.toString(configurationAdmin.listConfigurations(
                        "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + FACTORY_PID + ")")), found);
        assertEquals("configurations " + FACTORY_PID + "-" + alias, 1, found.length);
        return found[0];
    }

    /** The configuration's own keys (no service.pid, no FileInstall or Karaf bookkeeping), as strings. */
    private Map<String, String> channelConfiguration(String alias) throws Exception {
        Dictionary<String, Object> properties = configuration(alias).getProperties();
        Map<String, String> values = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            values.put(key, asString(properties.get(key)));
        }
        return withoutInternalKeys(values);
    }

    /** Waits until FileInstall has brought etc/dev.mpchannel.channel-ALIAS.cfg with this prefix to ConfigAdmin. */
    private void awaitConfiguration(String alias, String prefix) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            org.osgi.service.cm.Configuration[] found = configurations(alias);
            if (found != null && prefix.equals(found[0].getProperties().get("prefix"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(cfgFile(alias) + " did not reach ConfigAdmin");
    }

    private void awaitNoConfiguration(String alias) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (configurations(alias) != null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertNull("configuration " + FACTORY_PID + "-" + alias + " is still there", configurations(alias));
    }

    /**
     * Lets FileInstall (polling etc/ every second) see that a configuration file is gone before a feature writes it
     * again: else, in the scan that notices the deletion, FileInstall could delete the feature's new configuration
     * of the same name.
     */
    private static void awaitFileInstallScan() throws InterruptedException {
        Thread.sleep(2500);
    }

    private static void awaitFileGone(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(file + " is still there", Files.exists(file));
    }

    /** The one configuration a feature carries, {@code dev.mpchannel.channel-default}. */
    private Map<String, String> featureConfiguration(String featureName) throws Exception {
        Feature feature = featuresService.getFeature(featureName);
        assertNotNull(featureName, feature);
        assertEquals(featureName + "'s configurations", List.of(FEATURE_CONFIG),
                feature.getConfigurations().stream().map(ConfigInfo::getName).collect(Collectors.toList()));
        ConfigInfo config = feature.getConfigurations().get(0);
        return config.getProperties().stringPropertyNames().stream()
                .collect(Collectors.toMap(k -> k, k -> config.getProperties().getProperty(k).strip()));
    }

    private static Path cfgFile(String alias) {
        return Path.of(property("karaf.etc"), FACTORY_PID + "-" + alias + ".cfg");
    }

    /**
     * The own keys of etc/dev.mpchannel.channel-ALIAS.cfg once {@code settled} accepts them, or as they were at
     * {@link #TIMEOUT}. FileInstall rewrites a configuration's file after each update of the configuration (Karaf
     * sets felix.fileinstall.enableConfigSave), in place: a single read may find it empty or half-written.
     */
    private static Map<String, String> readCfgFileWhen(String alias, Predicate<Map<String, String>> settled)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Properties file = new Properties();
            if (Files.exists(cfgFile(alias))) {
                try (Reader reader = Files.newBufferedReader(cfgFile(alias))) {
                    file.load(reader);
                }
            }
            Map<String, String> keys = withoutInternalKeys(file);
            if (settled.test(keys) || System.nanoTime() >= deadline) {
                return keys;
            }
            Thread.sleep(100);
        }
    }

    private static String asString(Object value) {
        return value instanceof String[] ? String.join(",", (String[]) value) : String.valueOf(value);
    }

    private static Map<String, String> withoutInternalKeys(Map<?, ?> properties) {
        return properties.entrySet().stream()
                .filter(e -> !List.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
                        "felix.fileinstall.filename", CONFIG_KEY).contains(String.valueOf(e.getKey())))
                .collect(Collectors.toMap(e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue())));
    }

    private static String diagnose(String what, PeerProcess secondary) {
        return what + "\nsecondary's log:\n" + secondary.log() + "\nkaraf.log (end):\n" + karafLogTail();
    }

    private static String karafLogTail() {
        Path log = Path.of(System.getProperty("karaf.log", "data/log"), "karaf.log");
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.collect(Collectors.toList());
            return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(" + log + " unreadable: " + e + ")";
        }
    }

    private static String property(String name) {
        return KarafRun.property(name);
    }

    private static String required(String name) {
        return KarafRun.required(name);
    }
}
