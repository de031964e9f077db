package dev.mpchannel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import java.io.File;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The primary runs in Felix in this JVM (Pax Exam's native container); each secondary is a separate JVM process
 * running the dist's Felix with the demo bundle, whose actions (demo.echo, demo.read-fd, demo.tell, demo.ask) let the
 * test make a secondary act. Each test gets a fresh framework, channel and secondaries.
 */
@RunWith(PaxExam.class)
public class ChannelIT {
    /** Long enough never to be reached unless the behaviour under test is broken. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private Path socketDir;
    private SecondaryProcesses secondaries;
    private org.osgi.service.cm.Configuration configuration;
    private Channel channel;

    @Configuration
    public Option[] config() {
        String bundles = System.getProperty("mpchannel.bundles.dir");
        return options(
                systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
                systemProperty("org.ops4j.pax.url.mvn.localRepository")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository")),
                systemProperty("org.ops4j.pax.url.mvn.repositories")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.repositories")),
                systemProperty("mpchannel.dist.jar").value(System.getProperty("mpchannel.dist.jar")),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"),
                fileBundle(bundles + "/org.apache.felix.configadmin.jar"),
                fileBundle(bundles + "/org.osgi.util.function.jar"),
                fileBundle(bundles + "/org.osgi.util.promise.jar"),
                fileBundle(bundles + "/org.osgi.service.component.jar"),
                fileBundle(bundles + "/org.apache.felix.scr.jar"),
                fileBundle(System.getProperty("mpchannel.bundle.api")),
                fileBundle(System.getProperty("mpchannel.bundle.transport")),
                fileBundle(System.getProperty("mpchannel.bundle.primary")),
                fileBundle(System.getProperty("mpchannel.bundle.secondary")),
                junitBundles());
    }

    private static Option fileBundle(String path) {
        return bundle(new File(path).toURI().toString());
    }

    @Before
    public void startPrimary() throws Exception {
        socketDir = Files.createTempDirectory("mpchannel-itest-");
        configuration = configurationAdmin.getConfiguration("dev.mpchannel", "?");
        configure("primary", "itest");
        channel = awaitService(Channel.class, "(&(mp.role=primary)(mp.prefix=itest))");
        secondaries = new SecondaryProcesses(socketDir, "itest");
    }

    private void configure(String role, String prefix) throws Exception {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("role", role);
        properties.put("prefix", prefix);
        properties.put("socket.dir", socketDir.toString());
        properties.put("allowed.actions", new String[] {"itest.*", "demo.hello"});
        configuration.update(properties);
    }

    @After
    public void stopAll() throws Exception {
        secondaries.close();
        configuration.delete();
        try (Stream<Path> files = Files.walk(socketDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    public void messagesCrossInBothDirectionsBetweenProcesses() throws Exception {
        BlockingQueue<String> greetings = new LinkedBlockingQueue<>();
        register("demo.hello", (message, from) -> {
            greetings.add(from.pid() + ":" + message.paramsAsString());
            return null;
        });
        Process secondary = secondaries.start();
        Peer peer = awaitPeers(1).get(0);
        assertEquals(SecondaryProcesses.jvmPid(secondary), peer.pid());
        assertNotEquals(ProcessHandle.current().pid(), peer.pid());

        // primary -> secondary: a message; the secondary's demo.tell answers it with a message back
        assertEquals(1, channel.send(Message.of("demo.tell", "over")));
        String greeting = greetings.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(diagnose("no greeting came back"), greeting != null);
        assertTrue(greeting, greeting.startsWith(peer.pid() + ":hello from secondary pid " + peer.pid()));
        assertTrue(greeting, greeting.contains("told 'over'"));
    }

    @Test
    public void aRequestFromThePrimaryIsAnsweredByEverySecondary() throws Exception {
        long first = SecondaryProcesses.jvmPid(secondaries.start());
        long second = SecondaryProcesses.jvmPid(secondaries.start());
        awaitPeers(2);
        Replies replies = channel.request(Message.of("demo.echo", "ping"), TIMEOUT);
        assertEquals(2, replies.sent());
        assertEquals(diagnose(replies.toString()), 2, replies.received());
        assertEquals(List.of(Math.min(first, second), Math.max(first, second)),
                replies.replies().stream().map(r -> r.peer().pid()).sorted().toList());
        for (Reply reply : replies.replies()) {
            assertEquals("pid " + reply.peer().pid() + " echoes 'ping'", reply.message().paramsAsString());
        }
    }

    @Test
    public void aFileDescriptorCrossesAndItsContentIsReadInTheSecondary() throws Exception {
        secondaries.start();
        awaitPeers(1);
        Path file = Files.writeString(socketDir.resolve("passed.txt"), "bytes behind the descriptor");
        Replies replies;
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            replies = channel.request(Message.of("demo.read-fd").withFileDescriptors(in.getFD()), TIMEOUT);
        }
        assertEquals(diagnose(replies.toString()), 1, replies.received());
        assertEquals("bytes behind the descriptor", replies.replies().get(0).message().paramsAsString());
    }

    @Test
    public void actionServicesAreBoundAndUnboundAsTheyComeAndGo() throws Exception {
        secondaries.start();
        awaitPeers(1);
        assertTrue(ask("itest.dynamic").startsWith("IGNORED:no action 'itest.dynamic' is registered"));

        ServiceRegistration<Action> registration = register("itest.dynamic",
                (message, from) -> Message.of("itest.dynamic", "served to pid " + from.pid()));
        String answer = ask("itest.dynamic");
        assertTrue(answer, answer.startsWith("REPLIED:served to pid "));

        registration.unregister();
        answer = ask("itest.dynamic");
        assertTrue(answer, answer.startsWith("IGNORED:no action 'itest.dynamic' is registered"));
    }

    @Test
    public void anActionOffTheWhitelistIsNotBound() throws Exception {
        register("secret.action", (message, from) -> Message.of("secret.action", "leaked"));
        secondaries.start();
        awaitPeers(1);
        String answer = ask("secret.action");
        assertTrue(answer, answer.startsWith("IGNORED:action 'secret.action' is not on the whitelist (allowed.actions)"));
    }

    @Test
    public void aRequestForAnUnknownActionIsIgnoredInsteadOfTimingOut() throws Exception {
        secondaries.start();
        awaitPeers(1);
        Replies replies = channel.request(Message.of("demo.nobody"), Duration.ofMinutes(5));
        Reply reply = replies.replies().get(0);
        // a TIMED_OUT status would mean it waited the whole timeout; IGNORED comes only from the secondary's answer
        assertEquals(Reply.Status.IGNORED, reply.status());
        assertTrue(reply.reason(), reply.reason().contains("demo.nobody"));
    }

    @Test
    public void aSecondaryThatDiesIsForgottenAndTheOthersGoOn() throws Exception {
        Process doomed = secondaries.start();
        secondaries.start();
        awaitPeers(2);
        doomed.descendants().forEach(ProcessHandle::destroyForcibly);
        awaitPeers(1);
        Replies replies = channel.request(Message.of("demo.echo", "still there?"), TIMEOUT);
        assertEquals(1, replies.sent());
        assertEquals(1, replies.received());
    }

    @Test
    public void withRoleAutoTheFirstProcessIsPrimaryAndTheNextASecondary() throws Exception {
        configure("auto", "itest"); // no other primary for this prefix: this process becomes it
        channel = awaitNewChannel("(&(mp.role=primary)(mp.prefix=itest))", channel);
        Process secondary = secondaries.start("auto"); // a primary is alive: it becomes a secondary
        Peer peer = awaitPeers(1).get(0);
        assertEquals(SecondaryProcesses.jvmPid(secondary), peer.pid());
        assertEquals(1, channel.request(Message.of("demo.echo", "auto"), TIMEOUT).received());
    }

    @Test
    public void reconfiguringRecreatesTheChannelWithoutLeakingThreadsOrFds() throws Exception {
        secondaries.start();
        awaitPeers(1);
        channel.request(Message.of("demo.echo", "warm up"), TIMEOUT);
        long threadsBefore = channelThreads();
        long fdsBefore = openFds();
        java.util.Set<String> before = fdTargets();
        for (int i = 0; i < 10; i++) {
            String prefix = i % 2 == 0 ? "itest-other" : "itest";
            configure("primary", prefix);
            channel = awaitNewChannel("(&(mp.role=primary)(mp.prefix=" + prefix + "))", channel);
        }
        awaitPeers(1); // the secondary reconnected to the channel it belongs to
        assertEquals(1, channel.request(Message.of("demo.echo", "after"), TIMEOUT).received());
        assertEquals("threads named mpchannel-*", threadsBefore, channelThreads());
        long fdsAfter = openFds();
        // ten re-creations: a leak of even one descriptor each would show as 10 or more
        java.util.Set<String> after = fdTargets();
        after.removeAll(before);
        assertTrue("fds before " + fdsBefore + ", after " + fdsAfter + "; new: " + after, fdsAfter <= fdsBefore + 3);
    }

    // --- helpers ---

    private static long channelThreads() throws InterruptedException {
        // threads of a closed channel end within moments; give them a little time
        long count = 0;
        for (int i = 0; i < 50; i++) {
            count = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith("mpchannel-")).count();
            Thread.sleep(100);
            long again = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith("mpchannel-")).count();
            if (again == count) {
                return count;
            }
        }
        return count;
    }

    private static java.util.Set<String> fdTargets() throws Exception {
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

    private static long openFds() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Waits for a Channel service matching {@code filter} other than {@code old} (a re-created channel). */
    private Channel awaitNewChannel(String filter, Channel old) throws Exception {
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
    private String ask(String action) throws Exception {
        Replies replies = channel.request(Message.of("demo.ask", action), TIMEOUT);
        assertEquals(diagnose(replies.toString()), 1, replies.received());
        return replies.replies().get(0).message().paramsAsString();
    }

    private ServiceRegistration<Action> register(String name, Action action) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Action.NAME, name);
        return context.registerService(Action.class, action, properties);
    }

    private List<Peer> awaitPeers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos() * 2;
        while (channel.peers().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(diagnose("connected secondaries"), count, channel.peers().size());
        return channel.peers();
    }

    private <T> T awaitService(Class<T> type, String filter) throws Exception {
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

    private String diagnose(String what) {
        return what + "\nsecondary logs:\n" + secondaries.logs();
    }
}
