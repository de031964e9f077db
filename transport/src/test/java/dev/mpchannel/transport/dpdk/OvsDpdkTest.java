package dev.mpchannel.transport.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Role;
import dev.mpchannel.api.Traffic;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.ChannelRuntime;
import dev.mpchannel.transport.channel.Connector;
import dev.mpchannel.transport.channel.action.ActionRegistry;
import dev.mpchannel.transport.channel.action.Whitelist;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.channel.peer.Handoffs;
import dev.mpchannel.transport.channel.peer.PeerPolicy;
import dev.mpchannel.transport.config.ChannelSettings;
import dev.mpchannel.transport.socket.SocketAccess;
import dev.mpchannel.transport.socket.SocketPaths;
import dev.mpchannel.transport.wire.FrameLimits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java secondary joined to Open vSwitch with DPDK (Debian's openvswitch-switch-dpdk, DPDK 22.11), the DPDK
 * application people run: while it is joined, OVS attaches and detaches DPDK ports, each a hotplug that DPDK first
 * asks every secondary about ({@code eal_dev_mp_request}); the channel answers "ignore" at once and OVS succeeds.
 * A Java side that answers later than DPDK's 5 s fails the hotplug. Skipped without the package, unless
 * -Dovs.required=true or -Ddpdk.required=true (CI).
 */
class OvsDpdkTest {
    /** DPDK's hotplug request to its secondaries (lib/eal/common/hotplug_mp.h). */
    private static final String HOTPLUG = "eal_dev_mp_request";
    /** A null device that receives nothing, so the switch's poll-mode thread has nothing to do. */
    private static final String NULL_DEVICE = "net_null%d,no-rx=1";

    @TempDir
    Path dir;

    private OvsSwitch ovs;
    private ActionRegistry actions;
    private ChannelRuntime channel;
    private Connector connector;

    @BeforeEach
    void startOpenVSwitch() throws Exception {
        OvsSwitch.assumeInstalled();
        String unique = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 40);
        ovs = OvsSwitch.start(dir.resolve("ovs"), "mpovs" + unique, "mpbr" + unique);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (connector != null) {
                connector.close();
            }
        } finally {
            if (ovs != null) {
                ovs.close();
            }
        }
    }

    @Test
    void ovsAttachesAndDetachesDpdkPortsWhileAJavaSecondaryIsJoined() throws Exception {
        join("java.*");
        assertEquals(ovs.vswitchdPid(), channel.peers().get(0).pid(), "the peer is ovs-vswitchd-dpdk");

        attach("p0", 0);
        long asked = ignoredHotplugs();
        assertTrue(asked >= 1, "DPDK asked the Java secondary about the hotplug: " + channel.status().actions());
        attach("p1", 1);
        assertEquals(2, vdevs(), "DPDK's vdev bus, asked from Java, has both ports' devices");

        OvsSwitch.Outcome deleted = ovs.deletePort("p0");
        assertEquals(0, deleted.exit(), deleted.output());
        assertNull(ovs.get("Interface", "p0", "ofport"), "p0 is gone");
        String detached = "Device '" + String.format(NULL_DEVICE, 0) + "' has been removed and detached";
        assertTrue(ovs.vswitchdLog().stream().anyMatch(l -> l.contains(detached)), "OVS detached net_null0");
        assertTrue(ignoredHotplugs() > asked + 1, "the detach was asked too: " + channel.status().actions());
        assertEquals(1, vdevs());
        assertEquals(1, channel.peers().size(), "still joined");
        assertEquals(0, channel.status().actions().get(HOTPLUG).timeouts());
    }

    @Test
    void aJavaSecondaryThatAnswersAfterDpdksTimeoutFailsTheHotplugAndTheNextOneSucceeds() throws Exception {
        join("java.*", HOTPLUG);
        // The first hotplug request stalls, as in a long GC pause; this peer's requests after it wait behind it, as
        // they would then. Once released, they are answered "ignore" (an action that throws is answered MP_IGN).
        CountDownLatch released = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        actions.bind(HOTPLUG, context -> {
            if (asked.incrementAndGet() == 1) {
                released.await(30, TimeUnit.SECONDS);
            }
            throw new IllegalStateException("answered late on purpose");
        }, false);
        try {
            OvsSwitch.Outcome failed = ovs.addDpdkPort("p0", String.format(NULL_DEVICE, 0));
            // ovs-vsctl exits 0 (the transaction went through) and warns; the interface's error column says it
            assertTrue(failed.output().contains("Error attaching device"), failed.output());
            assertEquals("\"Error attaching device '" + String.format(NULL_DEVICE, 0) + "' to DPDK\"",
                    ovs.get("Interface", "p0", "error"));
            assertEquals("-1", ovs.get("Interface", "p0", "ofport"));
        } finally {
            released.countDown();
        }
        List<String> said = ovs.vswitchdLog().stream().filter(l -> l.contains("|ERR|") || l.contains("|WARN|"))
                .filter(l -> l.contains("EAL") || l.contains("attach") || l.contains("poll interval")).toList();
        said.forEach(line -> System.out.println("OVS-LOG " + line));
        // DPDK waited 5 s for the attach request, failed it, then 5 s more for the rollback request: ovs-vswitchd's
        // main loop was stopped meanwhile
        assertTrue(said.stream().anyMatch(l -> l.contains("Failed to send hotplug add request to secondary")),
                said.toString());
        assertTrue(said.stream().anyMatch(l -> l.contains("Failed to rollback device attach on secondary")),
                said.toString());
        // DPDK took the stalled peer for a failed request, not for a dead peer: the channel stays joined
        assertEquals(1, channel.peers().size());

        actions.unbind(HOTPLUG, actions.lookup(HOTPLUG).orElseThrow());
        assertEquals(0, ovs.deletePort("p0").exit());
        attach("p0", 0);
    }

    /** Joins the switch's DPDK as a secondary whose whitelist is {@code allowed}. */
    private void join(String... allowed) throws Exception {
        ChannelSettings settings = new ChannelSettings(Role.SECONDARY, new SocketPaths(dir, "ovs"),
                Whitelist.of(allowed), new FrameLimits(DpdkLayout.MAX_PARAM_BYTES, 8, DpdkLayout.MAX_PARAM_BYTES),
                new Capacity(2, 1024, 16, Duration.ofSeconds(5)), SocketAccess.PRIVATE,
                PeerPolicy.ownUserOnly(), ChannelSettings.PrimaryLoss.RECONNECT,
                new DpdkWire(ovs.dpdkPaths(), DpdkLayout.V22_11), Handoffs.DEFAULT);
        actions = new ActionRegistry(settings.whitelist());
        channel = new ChannelRuntime(settings, actions);
        connector = Connector.start(settings, channel);
        Await.until("joined ovs-vswitchd-dpdk", () -> channel.peers().size() == 1);
    }

    /** Adds port {@code port} on {@code net_null<n>} and checks that OVS attached it. */
    private void attach(String port, int n) throws Exception {
        String device = String.format(NULL_DEVICE, n);
        OvsSwitch.Outcome added = ovs.addDpdkPort(port, device);
        assertEquals(0, added.exit(), added.output());
        assertEquals("[]", ovs.get("Interface", port, "error"), "no error on " + port);
        assertTrue(Long.parseLong(ovs.get("Interface", port, "ofport")) > 0, port + " has an OpenFlow port");
        assertEquals("up", ovs.get("Interface", port, "link_state"));
        assertTrue(ovs.vswitchdLog().stream().anyMatch(l -> l.contains("Device '" + device + "' attached to DPDK")),
                "OVS attached " + device);
    }

    private long ignoredHotplugs() {
        Traffic traffic = channel.status().actions().get(HOTPLUG);
        return traffic == null ? 0 : traffic.ignored();
    }

    /** The number of devices on DPDK's vdev bus in ovs-vswitchd, from its own {@code bus_vdev_mp} scan. */
    private int vdevs() throws Exception {
        ByteBuffer scan = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder()).putInt(0, 1); // type 1: scan request
        Replies replies = channel.request(Message.of("bus_vdev_mp", scan.array()), Duration.ofSeconds(10));
        assertEquals(1, replies.received(), replies.toString());
        ByteBuffer reply = replies.replies().get(0).message().paramsBuffer().order(ByteOrder.nativeOrder());
        assertEquals(3, reply.getInt(0), "type 3: scan reply");
        return reply.getInt(4);
    }
}
