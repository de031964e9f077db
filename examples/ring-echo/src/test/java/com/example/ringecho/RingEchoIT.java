package com.example.ringecho;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.rings.Idle;
import dev.mpchannel.rings.RingAcceptor;
import dev.mpchannel.rings.RingClosedException;
import dev.mpchannel.rings.RingOptions;
import dev.mpchannel.rings.RingPair;
import dev.mpchannel.rings.Rings;
import dev.mpchannel.testkit.ChannelAssertions;
import dev.mpchannel.testkit.ChannelConfiguration;
import dev.mpchannel.testkit.PeerProcess;
import dev.mpchannel.testkit.paxexam.MpChannelOptions;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Rings across two JVMs: this test's framework is the primary of channel {@code ringecho} with the rings bundle; the
 * secondary is another JVM (the distribution) with the rings bundle and this module's. A million records go through
 * a pair and come back in order; then the other JVM is killed (SIGKILL) while records stream, once as the acceptor of
 * the pair and once as its opener, and this side sees the pair close and releases its descriptors and mappings.
 */
@RunWith(PaxExam.class)
public class RingEchoIT {
    /** Each task on a thread of its own: the common pool may have a single thread (2 CPUs), and these tasks block. */
    private static final Executor OWN_THREAD = task -> new Thread(task).start();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int RECORD = 64;

    @Inject
    @Filter("(&(mp.channel=ringecho)(mp.role=primary))")
    private Channel channel;

    @Inject
    private Rings rings;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(
                junitBundles(),
                systemProperty("org.ops4j.pax.url.mvn.localRepository")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository")),
                bundle(new File(System.getProperty("rings.bundle")).toURI().toString()),
                MpChannelOptions.mpchannel(ChannelConfiguration.primary("ringecho").inNewTempDirectory()
                        .allowedActions(Rings.ACTION, "ringecho.*")));
    }

    private PeerProcess startSecondary() throws Exception {
        PeerProcess secondary = PeerProcess.secondaryOf(channel).allowedActions(Rings.ACTION, "ringecho.*")
                .bundle(Path.of(System.getProperty("rings.bundle")))
                .bundle(Path.of(System.getProperty("ringecho.bundle"))).start();
        secondary.awaitConnected(TIMEOUT).awaitActionBound(Rings.ACTION, TIMEOUT)
                .awaitActionBound(StreamAction.NAME, TIMEOUT);
        return secondary;
    }

    @Test
    public void aMillionRecordsGoThroughAPairAndComeBackInOrder() throws Exception {
        int count = 1_000_000;
        try (PeerProcess secondary = startSecondary()) {
            Peer peer = ChannelAssertions.awaitPeer(channel, secondary.pid(), TIMEOUT);
            Map<String, Long> before = RingResources.now();
            RingPair pair = rings.open(channel, peer, EchoAcceptor.NAME, RingOptions.duplex(1 << 20), TIMEOUT);
            CompletableFuture<Long> writing = CompletableFuture.supplyAsync(() -> write(pair, count), OWN_THREAD);
            long[] next = {0};
            while (next[0] < count) {
                pair.reader().receive(record -> {
                    assertEquals("the echoed records' order", next[0], record.getLong(record.position()));
                    assertEquals(RECORD, record.remaining());
                    next[0]++;
                }, 256, Idle.PARK);
            }
            assertEquals(count, (long) writing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, pair.reader().poll(record -> fail("a record more than was written"), 1));
            pair.close();
            secondary.awaitLogged("ring echo: " + count + " records echoed; ", 1, TIMEOUT);
            awaitReleased(pair, before);
        }
    }

    @Test
    public void whenTheAcceptorIsKilledMidStreamThisSideSeesTheCloseAndReleasesEverything() throws Exception {
        PeerProcess secondary = startSecondary();
        try {
            Peer peer = ChannelAssertions.awaitPeer(channel, secondary.pid(), TIMEOUT);
            Map<String, Long> before = RingResources.now();
            RingPair pair = rings.open(channel, peer, EchoAcceptor.NAME, RingOptions.duplex(1 << 16), TIMEOUT);
            CompletableFuture<Long> writing = CompletableFuture.supplyAsync(
                    () -> write(pair, Long.MAX_VALUE), OWN_THREAD);
            AtomicLong echoed = new AtomicLong();
            CompletableFuture<String> reading = CompletableFuture.supplyAsync(
                    () -> readUntilClosed(pair, echoed), OWN_THREAD);
            await(() -> echoed.get() >= 100_000, "100,000 records echoed before the kill");
            secondary.kill();
            String readerSaw = reading.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(readerSaw, readerSaw.contains("connection ended") || readerSaw.contains("doorbell"));
            long written = writing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertTrue("the writer stopped with the pair: " + written, written >= echoed.get());
            awaitReleased(pair, before);
        } finally {
            secondary.close();
        }
    }

    @Test
    public void whenTheOpenerIsKilledMidStreamThisSideSeesTheCloseAndReleasesEverything() throws Exception {
        CompletableFuture<RingPair> accepted = new CompletableFuture<>();
        Hashtable<String, Object> properties = new Hashtable<>(Map.of(RingAcceptor.NAME, "sink"));
        ServiceRegistration<RingAcceptor> sink = context.registerService(RingAcceptor.class, accepted::complete,
                properties);
        PeerProcess secondary = startSecondary();
        try {
            Peer peer = ChannelAssertions.awaitPeer(channel, secondary.pid(), TIMEOUT);
            Map<String, Long> before = RingResources.now();
            ChannelAssertions.assertAnsweredByEveryPeer(channel, Message.of(StreamAction.NAME, "sink 1000000000"), TIMEOUT);
            RingPair pair = accepted.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(peer.pid(), pair.peer().pid());
            AtomicLong read = new AtomicLong();
            CompletableFuture<String> reading = CompletableFuture.supplyAsync(
                    () -> readUntilClosed(pair, read), OWN_THREAD);
            await(() -> read.get() >= 100_000, "100,000 records read before the kill");
            secondary.kill();
            String readerSaw = reading.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(readerSaw, readerSaw.contains("connection ended") || readerSaw.contains("doorbell"));
            awaitReleased(pair, before);
        } finally {
            secondary.close();
            sink.unregister();
        }
    }

    /** Writes records numbered from 0 until {@code count} or the pair's end; returns how many. */
    private static long write(RingPair pair, long count) {
        ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
        long sequence = 0;
        try {
            for (; sequence < count; sequence++) {
                record.putLong(0, sequence);
                while (!pair.writer().offer(record)) {
                    Thread.yield();
                }
            }
        } catch (RingClosedException e) {
            // the end this test waits for
        }
        return sequence;
    }

    /** Reads records in order until the pair ends; returns why it ended. */
    private static String readUntilClosed(RingPair pair, AtomicLong read) {
        try {
            while (true) {
                pair.reader().receive(record -> {
                    assertEquals("the records' order", read.get(), record.getLong(record.position()));
                    read.incrementAndGet();
                }, 256, Idle.PARK);
            }
        } catch (RingClosedException e) {
            return e.getMessage();
        }
    }

    private static void awaitReleased(RingPair pair, Map<String, Long> before) throws Exception {
        assertTrue(pair.isClosed());
        pair.closed().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        await(() -> before.equals(RingResources.now()), "ring descriptors and mappings back to " + before);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + TIMEOUT + ": " + what + " (now " + RingResources.now() + ")");
            }
            Thread.sleep(10);
        }
    }

    /**
     * What rings hold in this JVM, from /proc: descriptors and mappings of ring memory, and the descriptors of
     * doorbell sockets (the ends a side made itself have no name; the ends it received carry the doorbell's name).
     */
    static final class RingResources {
        static Map<String, Long> now() {
            try {
                Map<Long, String> unixNames = new HashMap<>();
                for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length >= 7 && fields[6].matches("\\d+")) {
                        unixNames.put(Long.parseLong(fields[6]), fields.length > 7 ? fields[7] : "");
                    }
                }
                long memoryFds = 0;
                long doorbellFds = 0;
                try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                    for (Path fd : fds.toList()) {
                        String target;
                        try {
                            target = Files.readSymbolicLink(fd).toString();
                        } catch (IOException gone) {
                            continue;
                        }
                        if (target.contains("mpchannel-ring-")) {
                            memoryFds++;
                        } else if (target.startsWith("socket:[")) {
                            String name = unixNames.get(Long.parseLong(target.substring(8, target.length() - 1)));
                            if (name != null && (name.isEmpty() || name.startsWith("@mpchannel-doorbell-"))) {
                                doorbellFds++;
                            }
                        }
                    }
                }
                long mappings = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                        .filter(line -> line.contains("mpchannel-ring-")).count();
                return Map.of("ring memory fds", memoryFds, "doorbell fds", doorbellFds, "ring mappings", mappings);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
