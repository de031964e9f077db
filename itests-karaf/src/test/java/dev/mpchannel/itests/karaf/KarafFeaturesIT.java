package dev.mpchannel.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.environment;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
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
import java.util.concurrent.atomic.AtomicBoolean;
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
 * The features repository in a real Apache Karaf (the distribution from Maven Central, in its own JVM): Karaf boots
 * with the features repository registered and mpchannel-api installed; the tests install mpchannel-primary the way
 * {@code feature:install} does, over a {@code etc/dev.mpchannel.cfg} written before Karaf started (private socket
 * directory, unique prefix, whitelist {@code itest.*, demo.hello}). A secondary is a further JVM process: the dist's
 * executable Felix jar with the demo bundle, started from inside Karaf by {@link SecondaryLauncher}.
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
    private static final String PID = "dev.mpchannel";
    private static final String PRIMARY_FEATURE = "mpchannel-primary";
    private static final String SECONDARY_FEATURE = "mpchannel-secondary";
    private static final AtomicBoolean WATCHING_THE_DRIVER = new AtomicBoolean();

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
        String karafVersion = required("mpchannel.karaf.version");
        String version = required("mpchannel.version");
        String repository = new File(required("mpchannel.karaf.repository")).getAbsolutePath();
        // Short (a socket path must fit in 107 bytes), private, and deleted when this JVM ends whatever happened
        Path scratch = Files.createTempDirectory("mpck");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> killDescendantsAndDelete(scratch), "itest-karaf-cleanup"));
        String prefix = "itest-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        String socketDir = scratch.resolve("sock").toString();
        // where a channel with an empty socket.dir lives in Karaf (see the configuration-creating test)
        Path runtimeDir = Files.createDirectory(scratch.resolve("xdg"));
        String mvnCfg = "etc/org.ops4j.pax.url.mvn.cfg";
        String channelCfg = "etc/" + PID + ".cfg";
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.apache.karaf", "apache-karaf", karafVersion).type("tar.gz"))
                        .karafVersion(karafVersion)
                        .name("Apache Karaf")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                environment("XDG_RUNTIME_DIR=" + runtimeDir),
                // What Karaf's bin/karaf passes on Java 9+; Pax Exam >= 4.12 adds none. Relative paths: Karaf's
                // working directory is its home.
                vmOptions(
                        "-Xmx512m",
                        "-Djava.io.tmpdir=data/tmp",
                        "--add-reads=java.xml=java.logging",
                        "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                        "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
                        "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
                        "--add-opens", "java.base/java.security=ALL-UNNAMED",
                        "--add-opens", "java.base/java.net=ALL-UNNAMED",
                        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "--add-opens", "java.base/java.util=ALL-UNNAMED",
                        "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                        "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                        "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                        "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                        "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                        "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                        "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED"),
                // Offline: the build's mpchannel artifacts first (read in place, so a stale snapshot installed in
                // ~/.m2 cannot stand in for them), then Karaf's own system/ folder, then the local repository
                editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.defaultRepositories",
                        "file:" + repository + "@id=mpchannel-build@snapshots,"
                                + "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                                + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                                + "${karaf.base.uri}${karaf.default.repository}@id=child.system.repository@snapshots"),
                editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.localRepository",
                        required("org.ops4j.pax.url.mvn.localRepository")),
                editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.offline", "true"),
                // The channel's configuration exists before the feature is installed, as an operator would write it
                editConfigurationFilePut(channelCfg, "role", "primary"),
                editConfigurationFilePut(channelCfg, "prefix", prefix),
                editConfigurationFilePut(channelCfg, "socket.dir", socketDir),
                editConfigurationFilePut(channelCfg, "allowed.actions", "itest.*,demo.hello"),
                // feature:repo-add at boot, and the api feature so that this probe can use the api's types
                features("mvn:dev.mpchannel/mpchannel-features/" + version + "/xml/features", "mpchannel-api"),
                systemProperty("mpchannel.itest.driver.pid").value(Long.toString(ProcessHandle.current().pid())),
                systemProperty("mpchannel.itest.prefix").value(prefix),
                systemProperty("mpchannel.itest.socket.dir").value(socketDir),
                systemProperty("mpchannel.itest.scratch").value(scratch.toString()),
                systemProperty("mpchannel.itest.repository").value(repository),
                systemProperty("mpchannel.itest.version").value(version),
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
        if (WATCHING_THE_DRIVER.compareAndSet(false, true)) {
            Path scratch = Path.of(property("mpchannel.itest.scratch"));
            Runnable exit = () -> new Thread(() -> {
                killDescendantsAndDelete(scratch);
                System.exit(3);
            }, "itest-karaf-orphaned").start();
            ProcessHandle.of(Long.parseLong(property("mpchannel.itest.driver.pid")))
                    .ifPresentOrElse(driver -> driver.onExit().thenRun(exit), exit);
        }
    }

    @Test
    public void installingTheFeatureKeepsTheExistingConfigurationAndStartsThePrimary() throws Exception {
        ensurePrimaryFeatureInstalled();

        // the configuration is still exactly what etc/dev.mpchannel.cfg said before the feature was installed
        Map<String, String> expected = Map.of(
                "role", "primary",
                "prefix", property("mpchannel.itest.prefix"),
                "socket.dir", property("mpchannel.itest.socket.dir"),
                "allowed.actions", "itest.*,demo.hello");
        assertEquals(expected, channelConfiguration());
        assertEquals(expected, withoutInternalKeys(readCfgFile()));

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
        assertEquals(property("mpchannel.itest.prefix"), channel.getProperty("mp.prefix"));
        Path socket = Path.of(property("mpchannel.itest.socket.dir"), property("mpchannel.itest.prefix") + ".sock");
        assertEquals(socket.toString(), channel.getProperty("mp.socket.path"));
        assertTrue("no socket at " + socket, Files.exists(socket));
    }

    @Test
    public void thePrimaryInKarafExchangesMessagesWithASecondaryProcess() throws Exception {
        ensurePrimaryFeatureInstalled();
        Channel channel = context.getService(awaitChannelReference());
        Path workDir = Path.of(property("mpchannel.itest.scratch"), "secondaries");
        List<ServiceRegistration<Action>> registrations = new ArrayList<>();
        try (SecondaryLauncher secondaries = new SecondaryLauncher(Path.of(property("mpchannel.itest.dist.jar")),
                Path.of(property("mpchannel.itest.socket.dir")), property("mpchannel.itest.prefix"), workDir)) {
            long pid = SecondaryLauncher.jvmPid(secondaries.start());
            Peer peer = awaitPeers(channel, 1, secondaries).get(0);
            assertEquals(diagnose("the peer is not the secondary's JVM", secondaries), pid, peer.pid());
            assertFalse(ProcessHandle.current().pid() == peer.pid());

            // primary -> secondary: a request its demo bundle answers
            Replies echoes = channel.request(Message.of("demo.echo", "from karaf"), TIMEOUT);
            assertEquals(1, echoes.sent());
            assertEquals(diagnose(echoes.toString(), secondaries), 1, echoes.received());
            assertEquals("pid " + pid + " echoes 'from karaf'", echoes.replies().get(0).message().paramsAsString());

            // secondary -> primary: a message to an action registered here (the secondary's demo.tell sends it)
            BlockingQueue<String> greetings = new LinkedBlockingQueue<>();
            registrations.add(register("demo.hello", (message, from) -> {
                greetings.add(from.pid() + ":" + message.paramsAsString());
                return null;
            }));
            assertEquals(1, channel.send(Message.of("demo.tell", "over")));
            String greeting = greetings.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(diagnose("no demo.hello came from the secondary", secondaries), greeting);
            assertTrue(greeting, greeting.startsWith(pid + ":hello from secondary pid " + pid));

            // secondary -> primary: a request to an action registered here (the secondary's demo.ask makes it)
            registrations.add(register("itest.whoami",
                    (message, from) -> Message.of("itest.whoami", "karaf served pid " + from.pid())));
            Replies asked = channel.request(Message.of("demo.ask", "itest.whoami"), TIMEOUT);
            assertEquals(diagnose(asked.toString(), secondaries), 1, asked.received());
            assertEquals("REPLIED:karaf served pid " + pid, asked.replies().get(0).message().paramsAsString());
        } finally {
            registrations.forEach(ServiceRegistration::unregister);
            context.ungetService(awaitChannelReference());
        }
    }

    @Test
    public void theShellCommandsWorkInKarafsConsole() throws Exception {
        ensurePrimaryFeatureInstalled();
        featuresService.installFeature("mpchannel-shell");
        awaitChannelReference();
        String status = execute("mp:status");
        assertTrue(status, status.contains("role      primary"));
        assertTrue(status, status.contains("state     LISTENING"));
        assertTrue(status, status.contains(property("mpchannel.itest.prefix")));
        String request = execute("mp:request -t 1s demo.nobody");
        assertTrue(request, request.startsWith("sent 0, received 0"));
        String refused = execute("mp:request -t soon demo.echo");
        assertTrue(refused, refused.contains("timeout 'soon' is not a duration"));
    }

    /** Runs a command in a Karaf console session, as an operator would type it, and returns what it printed. */
    private String execute(String command) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        org.apache.karaf.shell.api.console.SessionFactory sessions = context.getService(
                context.getServiceReference(org.apache.karaf.shell.api.console.SessionFactory.class));
        org.apache.karaf.shell.api.console.Session session = sessions.create(
                new java.io.ByteArrayInputStream(new byte[0]), print, print);
        try {
            Object result = session.execute(command);
            if (result != null) {
                print.println(result);
            }
        } catch (Exception e) {
            print.println(e.getMessage());
        } finally {
            session.close();
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    public void theFeaturesConfigurationsAreTheMetatypeDefaultsWithTheirRole() throws Exception {
        ensurePrimaryFeatureInstalled();
        Map<String, String> defaults = metatypeDefaults();
        for (String[] featureAndRole : new String[][] {{PRIMARY_FEATURE, "primary"}, {SECONDARY_FEATURE, "secondary"}}) {
            Map<String, String> expected = new HashMap<>(defaults);
            expected.put("role", featureAndRole[1]);
            assertEquals(featureAndRole[0], expected, featureConfiguration(featureAndRole[0]));
        }
    }

    @Test
    public void withoutAConfigurationAFeatureCreatesOneFromTheMetatypeDefaults() throws Exception {
        ensurePrimaryFeatureInstalled();
        Properties operators = readCfgFile();
        try {
            // feature:uninstall -c deletes the configuration and etc/dev.mpchannel.cfg, though Karaf did not write it
            featuresService.uninstallFeature(PRIMARY_FEATURE,
                    EnumSet.of(FeaturesService.Option.DeleteConfigurations));
            assertFalse(Files.exists(cfgFile()));
            assertNull(configurationAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PID + ")"));

            // with neither, feature:install creates both from the feature's <config>: the defaults and the role
            featuresService.installFeature(SECONDARY_FEATURE);
            Map<String, String> expected = metatypeDefaults();
            expected.put("role", "secondary");
            assertEquals(expected, channelConfiguration());
            assertEquals(expected, withoutInternalKeys(readCfgFile()));

            // and the secondary runs on them, for the default socket path (XDG_RUNTIME_DIR is set for Karaf)
            ServiceReference<Channel> channel = awaitChannelReference("secondary");
            assertEquals("mpchannel", channel.getProperty("mp.prefix"));
            assertEquals(Path.of(System.getenv("XDG_RUNTIME_DIR"), "mpchannel", "mpchannel.sock").toString(),
                    channel.getProperty("mp.socket.path"));
        } finally {
            if (featuresService.isInstalled(featuresService.getFeature(SECONDARY_FEATURE))) {
                featuresService.uninstallFeature(SECONDARY_FEATURE,
                        EnumSet.of(FeaturesService.Option.DeleteConfigurations));
            }
            restoreCfgFile(operators);
        }
    }

    @Test
    public void uninstallingTheFeatureStopsThePrimaryAndKeepsTheConfiguration() throws Exception {
        ensurePrimaryFeatureInstalled();
        awaitChannelReference();
        Path socket = Path.of(property("mpchannel.itest.socket.dir"), property("mpchannel.itest.prefix") + ".sock");
        assertTrue(Files.exists(socket));

        featuresService.uninstallFeature(PRIMARY_FEATURE); // feature:uninstall, without -c

        assertFalse(featuresService.isInstalled(featuresService.getFeature(PRIMARY_FEATURE)));
        assertNull(bundle("mpchannel-impl-primary"));
        assertNull(context.getServiceReference(Channel.class));
        assertFalse("the primary left its socket behind", Files.exists(socket));
        assertEquals(property("mpchannel.itest.prefix"), channelConfiguration().get("prefix"));
        assertEquals(property("mpchannel.itest.prefix"), readCfgFile().getProperty("prefix"));
    }

    // --- helpers (inside Karaf) ---

    /** feature:install mpchannel-primary, unless a previous test did. */
    private void ensurePrimaryFeatureInstalled() throws Exception {
        Feature primary = featuresService.getFeature(PRIMARY_FEATURE);
        assertNotNull("the features repository was not added at boot", primary);
        if (!featuresService.isInstalled(primary)) {
            featuresService.installFeature(PRIMARY_FEATURE);
        }
    }

    /** Every attribute of the Metatype Karaf reads for dev.mpchannel with its default ("" for none). */
    private Map<String, String> metatypeDefaults() {
        // mpchannel-transport carries the Metatype of dev.mpchannel
        ObjectClassDefinition ocd = metaTypeService.getMetaTypeInformation(bundle("mpchannel-transport"))
                .getObjectClassDefinition(PID, null);
        assertNotNull("no Metatype for " + PID, ocd);
        Map<String, String> defaults = new HashMap<>();
        for (AttributeDefinition attribute : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            String[] values = attribute.getDefaultValue();
            defaults.put(attribute.getID(), values == null ? "" : String.join(",", values));
        }
        assertTrue(defaults.toString(), defaults.containsKey("role") && defaults.containsKey("allowed.actions"));
        return defaults;
    }

    private ServiceReference<Channel> awaitChannelReference() throws Exception {
        return awaitChannelReference("primary");
    }

    private ServiceReference<Channel> awaitChannelReference(String role) throws Exception {
        ServiceTracker<Channel, Channel> tracker = new ServiceTracker<>(context, context.createFilter(
                "(&(" + Constants.OBJECTCLASS + "=" + Channel.class.getName() + ")(mp.role=" + role + "))"), null);
        tracker.open();
        try {
            assertNotNull("no " + role + " Channel service", tracker.waitForService(TIMEOUT.toMillis()));
            return tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }

    private static List<Peer> awaitPeers(Channel channel, int count, SecondaryLauncher secondaries)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos() * 2;
        while (channel.peers().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(diagnose("connected secondaries", secondaries), count, channel.peers().size());
        return channel.peers();
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

    /** The configuration's own keys (no service.pid, no FileInstall or Karaf bookkeeping), as strings. */
    private Map<String, String> channelConfiguration() throws Exception {
        org.osgi.service.cm.Configuration[] found =
                configurationAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PID + ")");
        assertNotNull("no configuration " + PID, found);
        Dictionary<String, Object> properties = found[0].getProperties();
        Map<String, String> values = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            values.put(key, value instanceof String[] ? String.join(",", (String[]) value) : String.valueOf(value));
        }
        return withoutInternalKeys(values);
    }

    private Map<String, String> featureConfiguration(String featureName) throws Exception {
        Feature feature = featuresService.getFeature(featureName);
        assertNotNull(featureName, feature);
        ConfigInfo config = feature.getConfigurations().stream()
                .filter(c -> PID.equals(c.getName()))
                .findFirst().orElseThrow(() -> new AssertionError(featureName + " has no config " + PID));
        return config.getProperties().stringPropertyNames().stream()
                .collect(Collectors.toMap(k -> k, k -> config.getProperties().getProperty(k).strip()));
    }

    private static Path cfgFile() {
        return Path.of(property("karaf.etc"), PID + ".cfg");
    }

    private static Properties readCfgFile() throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(cfgFile())) {
            file.load(reader);
        }
        return file;
    }

    /** Writes etc/dev.mpchannel.cfg as the operator had it and waits for FileInstall to bring it to ConfigAdmin. */
    private void restoreCfgFile(Properties operators) throws Exception {
        try (var out = Files.newBufferedWriter(cfgFile())) {
            operators.store(out, null);
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            org.osgi.service.cm.Configuration[] found =
                    configurationAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PID + ")");
            if (found != null && operators.getProperty("prefix").equals(found[0].getProperties().get("prefix"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("etc/" + PID + ".cfg did not reach ConfigAdmin again");
    }

    private static Map<String, String> withoutInternalKeys(Map<?, ?> properties) {
        return properties.entrySet().stream()
                .filter(e -> !List.of(Constants.SERVICE_PID, "felix.fileinstall.filename",
                        "org.apache.karaf.features.configKey").contains(String.valueOf(e.getKey())))
                .collect(Collectors.toMap(e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue())));
    }

    private static String diagnose(String what, SecondaryLauncher secondaries) {
        return what + "\nsecondary logs:\n" + secondaries.logs() + "\nkaraf.log (end):\n" + karafLogTail();
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
        String value = System.getProperty(name);
        assertNotNull("system property " + name + " is not set", value);
        return value;
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run through Maven)");
        }
        return value;
    }

    /** Kills every process this JVM started (and theirs), waits for them to end, then deletes {@code root}. */
    private static void killDescendantsAndDelete(Path root) {
        List<ProcessHandle> descendants = ProcessHandle.current().descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : descendants) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // go on: delete what can be deleted
            }
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort at JVM exit
        }
    }
}
