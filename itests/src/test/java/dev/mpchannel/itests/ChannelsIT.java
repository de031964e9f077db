package dev.mpchannel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.PeerListener;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Role;
import dev.mpchannel.testkit.PeerProcess;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Several channels in one framework, each a factory configuration: actions pinned to one channel, a primary of one
 * channel and a secondary of another in this JVM, a reconfiguration that leaves the other channel alone, only the
 * chosen side active, a side whose bundle is missing, role=auto without the primary's bundle, and each channel
 * as a JMX MBean. The peers are
 * separate JVM processes.
 */
@RunWith(PaxExam.class)
public class ChannelsIT extends AbstractChannelIT {
    private static final String PRIMARY_SIDE = "dev.mpchannel.primary.PrimaryChannel";
    private static final String SECONDARY_SIDE = "dev.mpchannel.secondary.SecondaryChannel";
    private static final String LAUNCHER = "dev.mpchannel.transport.launch.ChannelLauncher";

    @Inject
    private ServiceComponentRuntime scr;

    @Test
    public void twoChannelsInOneFrameworkEachBindTheActionsPinnedToThem() throws Exception {
        Channel second = addChannel("second", "primary");
        register("itest.where", "itest", context -> Message.of("itest.where", "on itest"));
        register("itest.where", "second", context -> Message.of("itest.where", "on second"));
        register("itest.both", context -> Message.of("itest.both", "on every channel"));
        secondaries.start();
        processesOf("second").start();
        awaitPeers(1);
        awaitPeers(second, 1);

        assertEquals("REPLIED:on itest", ask(channel, "itest.where"));
        assertEquals("REPLIED:on second", ask(second, "itest.where"));
        assertEquals("REPLIED:on every channel", ask(channel, "itest.both"));
        assertEquals("REPLIED:on every channel", ask(second, "itest.both"));
        assertNotEquals(channel.peers().get(0).pid(), second.peers().get(0).pid());
    }

    @Test
    public void thisJvmIsThePrimaryOfOneChannelAndASecondaryOfAnother() throws Exception {
        Channel remote = addChannel("remote", "secondary");
        long remotePrimary = SecondaryProcesses.jvmPid(processesOf("remote").start("primary"));
        long ownSecondary = SecondaryProcesses.jvmPid(secondaries.start());
        Peer primaryPeer = awaitPeers(remote, 1).get(0);
        awaitPeers(1);

        assertEquals(remotePrimary, primaryPeer.pid());
        Replies fromRemote = remote.request(Message.of("demo.echo", "up"), TIMEOUT);
        assertEquals(diagnose(fromRemote.toString()), 1, fromRemote.received());
        assertEquals("pid " + remotePrimary + " echoes 'up'", fromRemote.replies().get(0).message().paramsAsString());
        Replies fromOwn = channel.request(Message.of("demo.echo", "down"), TIMEOUT);
        assertEquals(diagnose(fromOwn.toString()), 1, fromOwn.received());
        assertEquals("pid " + ownSecondary + " echoes 'down'", fromOwn.replies().get(0).message().paramsAsString());
    }

    @Test
    public void oneActionOnTwoSecondaryChannelsAnswersThroughTheContextOfTheChannelItCameOn() throws Exception {
        Channel east = addChannel("east", "secondary");
        Channel west = addChannel("west", "secondary");
        long eastPrimary = SecondaryProcesses.jvmPid(processesOf("east").start("primary"));
        long westPrimary = SecondaryProcesses.jvmPid(processesOf("west").start("primary"));
        Peer eastPeer = awaitPeers(east, 1).get(0);
        awaitPeers(west, 1);
        // one service, bound by both channels; it answers through its context, with no reference to any channel
        register("itest.via", context -> Message.of("itest.via", context.channel().name() + " "
                + context.peer().channel() + " " + context.peer().pid()));

        // each primary's demo.ask requests itest.via back from the secondary that asked: this JVM
        assertEquals("REPLIED:east east " + eastPrimary, askPrimary(east, "itest.via"));
        assertEquals("REPLIED:west west " + westPrimary, askPrimary(west, "itest.via"));

        assertEquals("east", eastPeer.channel());
        ChannelException wrongChannel = assertThrows(ChannelException.class,
                () -> west.send(eastPeer, Message.of("demo.echo", "not for west")));
        assertEquals(ChannelException.Reason.UNKNOWN_PEER, wrongChannel.reason());
    }

    @Test
    public void peerListenersHearJoinsAndLeavesInOrderWithTheChannelsName() throws Exception {
        Channel other = addChannel("other", "primary");
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        PeerListener listener = new PeerListener() {
            @Override
            public void joined(Peer peer) {
                heard.add("joined " + peer.channel() + " " + peer.pid());
            }

            @Override
            public void left(Peer peer, String reason) {
                heard.add("left " + peer.channel() + " " + peer.pid());
            }
        };
        java.util.Hashtable<String, Object> pinned = new java.util.Hashtable<>(Map.of(Channel.NAME, "itest"));
        ServiceRegistration<PeerListener> registration = context.registerService(PeerListener.class, listener, pinned);
        try {
            PeerProcess first = secondaries.start();
            long firstPid = SecondaryProcesses.jvmPid(first);
            processesOf("other").start(); // a peer of the other channel: not for this listener
            awaitPeers(other, 1);
            awaitPeers(1);
            SecondaryProcesses.kill(first);
            awaitPeers(0);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (heard.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of("joined itest " + firstPid, "left itest " + firstPid), heard);
        } finally {
            registration.unregister();
        }
    }

    /** Has the primary of secondary channel {@code channel} request {@code action} back from this JVM. */
    private static String askPrimary(Channel channel, String action) throws Exception {
        Replies replies = channel.request(Message.of("demo.ask", action), TIMEOUT);
        assertEquals(replies.toString(), 1, replies.received());
        return replies.replies().get(0).message().paramsAsString();
    }

    @Test
    public void reconfiguringOneChannelLeavesTheOthersPeersConnected() throws Exception {
        Channel steady = addChannel("steady", "primary");
        processesOf("steady").start();
        secondaries.start();
        Peer steadyPeer = awaitPeers(steady, 1).get(0);
        awaitPeers(1);

        configure("primary", "itest", Map.of("max.fds", 4));
        channel = awaitNewChannel("(&(mp.role=primary)(mp.channel=itest))", channel);
        awaitPeers(1); // its secondary reconnected to the re-created channel

        assertSame("the other channel's service was not re-created", steady,
                awaitService(Channel.class, "(mp.channel=steady)"));
        assertEquals("the same connection, never dropped", List.of(steadyPeer), steady.peers());
        assertEquals(1, steady.request(Message.of("demo.echo", "still here"), TIMEOUT).received());
    }

    @Test
    public void perChannelOnlyTheChosenSideIsActive() throws Exception {
        addChannel("other-side", "secondary");
        awaitActive(PRIMARY_SIDE, "itest");
        awaitActive(SECONDARY_SIDE, "other-side");
        assertEquals(0, activeConfigurations(SECONDARY_SIDE, "itest"));
        assertEquals(0, activeConfigurations(PRIMARY_SIDE, "other-side"));
        assertEquals("one side instance per channel, nothing else",
                2, configurations(PRIMARY_SIDE).size() + configurations(SECONDARY_SIDE).size());
        assertEquals(2, configurations(LAUNCHER).size());
    }

    @Test
    public void aChannelWhoseSideIsMissingWaitsAndStartsWhenItsBundleArrives() throws Exception {
        Bundle secondarySide = bundle("mpchannel-impl-secondary");
        secondarySide.stop();
        try {
            Configuration late = channelConfiguration("late");
            configure(late, "secondary", "late", Map.of());
            awaitActive(LAUNCHER, "late");
            assertEquals("no Channel while its side's bundle is missing",
                    0, context.getServiceReferences(Channel.class, "(mp.channel=late)").size());
        } finally {
            secondarySide.start();
        }
        Channel late = awaitService(Channel.class, "(&(mp.role=secondary)(mp.channel=late))");
        PeerProcess primary = processesOf("late").start("primary");
        assertEquals(SecondaryProcesses.jvmPid(primary), awaitPeers(late, 1).get(0).pid());
    }

    @Test
    public void withOnlyTheSecondaryBundleRoleAutoIsASecondaryAndLeavesThePrimaryToAnother() throws Exception {
        Bundle primarySide = bundle("mpchannel-impl-primary");
        primarySide.stop();
        try {
            Channel auto = addChannel("auto-only", "auto");
            assertEquals(Role.SECONDARY, auto.role());
            // the lock is free: another process becomes the primary, and this secondary joins it
            PeerProcess primary = processesOf("auto-only").start("primary");
            assertEquals(SecondaryProcesses.jvmPid(primary), awaitPeers(auto, 1).get(0).pid());
            assertEquals(1, auto.request(Message.of("demo.echo", "auto"), TIMEOUT).received());
        } finally {
            primarySide.start();
        }
    }

    @Test
    public void theSingleChannelConfigurationOfEarlierVersionsStartsNothing() throws Exception {
        Configuration singleton = configurationAdmin.getConfiguration("dev.mpchannel", "?");
        try {
            singleton.update(new java.util.Hashtable<>(Map.of("role", "primary", "prefix", "legacy",
                    "socket.dir", socketDir.toString())));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            String refusal = "dev.mpchannel.transport.launch.SingletonConfigurationRefusal";
            while (configurations(refusal).stream().noneMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals("the refusal read it (and logged what to write instead)", 1, configurations(refusal).size());
            assertEquals(0, context.getServiceReferences(Channel.class, "(mp.channel=legacy)").size());
            assertEquals(1, configurations(LAUNCHER).size());
        } finally {
            singleton.delete();
        }
    }

    @Test
    public void eachChannelIsAnMBeanWhileItRunsAndAnotherProcessCanReadIt() throws Exception {
        ObjectName itest = new ObjectName("dev.mpchannel:type=Channel,name=itest");
        MBeanServer here = ManagementFactory.getPlatformMBeanServer();
        awaitMBean(here, itest, true); // registered right after the Channel service
        assertEquals("primary", here.getAttribute(itest, "Role"));
        assertEquals("LISTENING", here.getAttribute(itest, "State"));

        long pid = SecondaryProcesses.jvmPid(secondaries.start());
        awaitPeers(1);
        assertEquals(1, channel.request(Message.of("demo.echo", "counted"), TIMEOUT).received());
        // the secondary's JVM, read through a local JMX connector, as JConsole or jcmd would
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection there = connector.getMBeanServerConnection();
            assertEquals("secondary", there.getAttribute(itest, "Role"));
            assertEquals("CONNECTED", there.getAttribute(itest, "State"));
            assertEquals(1, there.getAttribute(itest, "PeerCount"));
            assertTrue(Arrays.asList((String[]) there.getAttribute(itest, "BoundActions")).contains("demo.echo"));
            assertTrue("the request and its reply were counted", (Long) there.getAttribute(itest, "MessagesIn") >= 1
                    && (Long) there.getAttribute(itest, "MessagesOut") >= 1);
        } finally {
            vm.detach();
        }

        Configuration brief = channelConfiguration("brief");
        configure(brief, "primary", "brief", Map.of());
        awaitService(Channel.class, "(mp.channel=brief)");
        ObjectName briefName = new ObjectName("dev.mpchannel:type=Channel,name=brief");
        awaitMBean(here, briefName, true);
        brief.delete();
        awaitMBean(here, briefName, false); // unregistered with its channel
    }

    private static void awaitMBean(MBeanServer server, ObjectName name, boolean registered) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (server.isRegistered(name) != registered && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(name + " registered", registered, server.isRegistered(name));
    }

    /**
     * Deletes this test's channel configurations and waits until their launchers are gone before cleaning up as every
     * test does: a deletion reaches Declarative Services asynchronously, and a launcher still alive when the next
     * test stops a side's bundle decides its role again and can make its socket directory anew after it was removed.
     * Then checks that nothing of this test is left in the temp directory.
     */
    @After
    @Override
    public void stopAll() throws Exception {
        try {
            Configuration[] channels =
                    configurationAdmin.listConfigurations("(service.factoryPid=dev.mpchannel.channel)");
            for (Configuration created : channels == null ? new Configuration[0] : channels) {
                created.delete();
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!configurations(LAUNCHER).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals("launchers left after their configurations were deleted", 0,
                    configurations(LAUNCHER).size());
        } finally {
            super.stopAll(); // processes, configurations, the socket directory: whatever happened above
        }
        if (Files.exists(socketDir, LinkOption.NOFOLLOW_LINKS)) {
            List<String> left;
            try (Stream<Path> files = Files.walk(socketDir)) {
                left = files.map(Path::toString).collect(Collectors.toList());
            }
            try (Stream<Path> files = Files.walk(socketDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            throw new AssertionError("left in the temp directory after the test (removed now): " + left);
        }
    }

    /** Adds a channel of this JVM with its own factory configuration and waits for its Channel service. */
    private Channel addChannel(String prefix, String role) throws Exception {
        configure(channelConfiguration(prefix), role, prefix, Map.of());
        String side = role.equals("auto") ? "secondary" : role;
        return awaitService(Channel.class, "(&(mp.role=" + side + ")(mp.channel=" + prefix + "))");
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    private List<ComponentConfigurationDTO> configurations(String component) {
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.name.equals(component)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + component));
        return List.copyOf(scr.getComponentConfigurationDTOs(description));
    }

    private long activeConfigurations(String component, String prefix) {
        return configurations(component).stream()
                .filter(c -> prefix.equals(c.properties.get("prefix")))
                .filter(c -> c.state == ComponentConfigurationDTO.ACTIVE).count();
    }

    /**
     * Waits until one configuration of {@code component} for the channel is active. A component's service can be
     * seen before SCR's description of it reports it active, so a visible service is not enough.
     */
    private void awaitActive(String component, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (activeConfigurations(component, prefix) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(component + " for " + prefix, 1, activeConfigurations(component, prefix));
    }
}
