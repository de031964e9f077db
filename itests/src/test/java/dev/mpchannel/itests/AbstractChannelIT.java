package dev.mpchannel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bootDelegationPackage;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.testkit.ChannelAssertions;
import dev.mpchannel.testkit.paxexam.MpChannelOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What the integration tests share: the framework (Felix in this JVM, Pax Exam's native container) with the
 * mpchannel bundles (provisioned by the test kit's {@link MpChannelOptions}), a channel configured as primary in a
 * private socket directory before each test, secondaries as separate JVM processes ({@link SecondaryProcesses}, over
 * the kit's {@code PeerProcess}), and helpers to wait for peers and services.
 */
public abstract class AbstractChannelIT {
    /** Long enough never to be reached unless the behaviour under test is broken. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    protected BundleContext context;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    protected Path socketDir;
    protected SecondaryProcesses secondaries;
    protected org.osgi.service.cm.Configuration configuration;
    protected Channel channel;
    private final List<org.osgi.service.cm.Configuration> configurations = new java.util.ArrayList<>();

    @Configuration
    public Option[] config() {
        return options(
                systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
                // the JDK's attach API, to read a secondary process's MBeans through a local JMX connector
                bootDelegationPackage("com.sun.tools.attach"),
                systemProperty("org.ops4j.pax.url.mvn.localRepository")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository")),
                systemProperty("org.ops4j.pax.url.mvn.repositories")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.repositories")),
                systemProperty("mpchannel.dist.jar").value(System.getProperty("mpchannel.dist.jar")),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"),
                // ConfigAdmin, SCR, the mpchannel bundles and the test kit (for SecondaryProcesses), as users get them
                MpChannelOptions.bundles(),
                junitBundles());
    }

    @Before
    public void startPrimary() throws Exception {
        socketDir = Files.createTempDirectory("mpchannel-itest-");
        configuration = channelConfiguration("itest");
        configure("primary", "itest");
        channel = awaitService(Channel.class, "(&(mp.role=primary)(mp.channel=itest))");
        secondaries = new SecondaryProcesses(socketDir, "itest");
    }

    /** A factory configuration of a channel, named {@code name} (deleted after the test). */
    protected org.osgi.service.cm.Configuration channelConfiguration(String name) throws Exception {
        org.osgi.service.cm.Configuration created =
                configurationAdmin.getFactoryConfiguration("dev.mpchannel.channel", name, "?");
        configurations.add(created);
        return created;
    }

    protected void configure(String role, String prefix) throws Exception {
        configure(role, prefix, Map.of());
    }

    /** Configures this JVM's first channel, with {@code extra} keys on top of the usual ones. */
    protected void configure(String role, String prefix, Map<String, Object> extra) throws Exception {
        configure(configuration, role, prefix, extra);
    }

    /** Configures a channel of this JVM in the test's socket directory, with {@code extra} keys on top. */
    protected void configure(org.osgi.service.cm.Configuration target, String role, String prefix,
            Map<String, Object> extra) throws Exception {
        Hashtable<String, Object> properties = new Hashtable<>(extra);
        properties.put("role", role);
        properties.put("prefix", prefix);
        properties.put("socket.dir", socketDir.toString());
        properties.putIfAbsent("allowed.actions", new String[] {"itest.*", "demo.hello"});
        target.update(properties);
    }

    @After
    public void stopAll() throws Exception {
        secondaries.close();
        for (SecondaryProcesses processes : others) {
            processes.close();
        }
        for (org.osgi.service.cm.Configuration created : configurations) {
            try {
                created.delete();
            } catch (IllegalStateException deletedByTheTest) {
                // nothing left to delete
            }
        }
        try (Stream<Path> files = Files.walk(socketDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    // --- helpers ---

    protected static long channelThreads() throws InterruptedException {
        return threadsNamed("mpchannel-");
    }

    /** How many live threads have a name starting with {@code prefix}, once that count is steady. */
    protected static long threadsNamed(String prefix) throws InterruptedException {
        // threads of a closed channel end within moments; give them a little time
        long count = 0;
        for (int i = 0; i < 50; i++) {
            count = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
            Thread.sleep(100);
            long again = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
            if (again == count) {
                return count;
            }
        }
        return count;
    }

    protected static java.util.Set<String> fdTargets() throws Exception {
        java.util.Set<String> targets = new java.util.TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    targets.add(fd.getFileName() + "->" + Files.readSymbolicLink(fd));
                } catch (Exception gone) {
                    // closed while listing
                }
            }
        }
        return targets;
    }

    protected static long openFds() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Waits for a Channel service matching {@code filter} other than {@code old} (a re-created channel). */
    protected Channel awaitNewChannel(String filter, Channel old) throws Exception {
        for (int i = 0; i < 600; i++) {
            for (var reference : context.getServiceReferences(Channel.class, filter)) {
                Channel current = context.getService(reference);
                if (current != null && current != old) {
                    return current;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no new Channel service " + filter);
    }

    /** Has the secondary request {@code action} from this primary (its demo.ask) and returns what it got. */
    protected String ask(String action) throws Exception {
        return ask(channel, action);
    }

    /** Has the secondary of {@code primary} request {@code action} from it and returns what it got. */
    protected String ask(Channel primary, String action) throws Exception {
        Replies replies = primary.request(Message.of("demo.ask", action), TIMEOUT);
        assertEquals(diagnose(replies.toString()), 1, replies.received());
        return replies.replies().get(0).message().paramsAsString();
    }

    protected ServiceRegistration<Action> register(String name, Action action) {
        return register(name, null, action);
    }

    /** Registers an action service; with {@code channelName}, pinned to that channel ({@code mp.channel}). */
    protected ServiceRegistration<Action> register(String name, String channelName, Action action) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Action.NAME, name);
        if (channelName != null) {
            properties.put("mp.channel", channelName);
        }
        return context.registerService(Action.class, action, properties);
    }

    protected List<Peer> awaitPeers(int count) throws InterruptedException {
        return awaitPeers(channel, count);
    }

    /** Waits until {@code of} has {@code count} peers, and those that are this test's processes their demo actions. */
    protected List<Peer> awaitPeers(Channel of, int count) throws InterruptedException {
        try {
            List<Peer> peers = ChannelAssertions.awaitPeers(of, count, TIMEOUT.multipliedBy(2));
            for (Peer peer : peers) {
                secondaries.awaitDemoActions(peer.pid(), TIMEOUT);
                for (SecondaryProcesses processes : others) {
                    processes.awaitDemoActions(peer.pid(), TIMEOUT);
                }
            }
            return peers;
        } catch (AssertionError e) {
            throw new AssertionError(diagnose(e.getMessage()), e);
        }
    }

    protected <T> T awaitService(Class<T> type, String filter) throws Exception {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")"), null);
        tracker.open();
        try {
            T service = tracker.waitForService(TIMEOUT.toMillis());
            assertTrue("no " + type.getSimpleName() + " service " + filter, service != null);
            return service;
        } finally {
            tracker.close(); // an open tracker outlives the probe bundle and fails at framework shutdown
        }
    }

    protected String diagnose(String what) {
        return what + "\nsecondary logs:\n" + secondaries.logs() + others.stream().map(SecondaryProcesses::logs)
                .collect(java.util.stream.Collectors.joining());
    }

    private final List<SecondaryProcesses> others = new java.util.ArrayList<>();

    /** Processes of another channel ({@code prefix}) in the test's socket directory, stopped after the test. */
    protected SecondaryProcesses processesOf(String prefix) throws Exception {
        SecondaryProcesses processes = new SecondaryProcesses(socketDir, prefix);
        others.add(processes);
        return processes;
    }
}
