package dev.mpchannel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.testkit.PeerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;

/**
 * Processes killed with SIGKILL in the middle of things. Each test prints its figures as {@code FIGURE name value}
 * lines (in the failsafe report's output), which docs/reliability.md quotes; nothing asserts a duration.
 */
@RunWith(PaxExam.class)
public class FaultsIT extends AbstractChannelIT {
    /** What a secondary logs each time it connects to a primary. */
    private static final String CONNECTED = "connected to the primary at";
    /** A JVM starting on a loaded machine. */
    private static final java.time.Duration START = TIMEOUT.multipliedBy(2);
    /** The secondary's backoff between attempts to reach a primary never exceeds this (SecondaryChannel). */
    private static final java.time.Duration RETRY_PAUSE_MAX = java.time.Duration.ofMillis(2500);

    @Test
    public void aSecondaryKilledInTheMiddleOfARequestEndsItAtOnceAndLeaksNothing() throws Exception {
        Semaphore entered = new Semaphore(0);
        CountDownLatch never = new CountDownLatch(1);
        register("itest.hold", context -> {
            entered.release();
            never.await(); // keeps the secondary's own request, and so its answer to ours, in flight
            return null;
        });
        PeerProcess doomed = secondaries.start();
        secondaries.start();
        awaitPeers(2);
        long readersBefore = threadsNamed("mpchannel-read-");
        long fdsBefore = openFds();

        // each secondary's demo.ask requests itest.hold context.peer() us, which holds it: both answers are in flight
        CompletableFuture<Replies> pending = channel.requestAsync(Message.of("demo.ask", "itest.hold"),
                TIMEOUT.multipliedBy(10)).toCompletableFuture();
        assertTrue(diagnose("the secondaries did not ask"), entered.tryAcquire(2, TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        long killed = System.nanoTime();
        SecondaryProcesses.kill(doomed);
        awaitPeers(1);
        long noticed = System.nanoTime();
        never.countDown(); // the other secondary now gets its answer, and answers us
        Replies replies = pending.get();
        assertEquals(2, replies.sent());
        assertEquals(1, replies.received());
        assertEquals(1, replies.replies().stream().filter(r -> r.status() == Reply.Status.PEER_GONE).count());
        figure("secondary-kill-to-peer-gone-ms", (noticed - killed) / 1e6);

        // the dead peer's reader thread ended, its socket closed
        assertEquals(readersBefore - 1, threadsNamed("mpchannel-read-")); // one reader thread per peer
        assertTrue("fds before " + fdsBefore + ", after " + openFds(), openFds() <= fdsBefore);
    }

    @Test
    public void aKilledPrimaryIsNoticedAtOnceAndARestartedOneIsRejoined() throws Exception {
        // this JVM becomes the secondary; the primaries are separate processes
        Channel old = channel;
        configure("secondary", "itest");
        channel = awaitNewChannel("(&(mp.role=secondary)(mp.channel=itest))", old);
        PeerProcess primary = secondaries.start("primary");
        awaitPeers(1);
        assertEquals(1, channel.request(Message.of("demo.echo", "first"), TIMEOUT).received());

        long killed = System.nanoTime();
        SecondaryProcesses.kill(primary);
        awaitPeers(0);
        long noticed = System.nanoTime();
        figure("primary-kill-to-noticed-ms", (noticed - killed) / 1e6);

        Path socket = socketDir.resolve("itest.sock");
        Object staleSocket = Files.getAttribute(socket, "unix:ino"); // SIGKILL leaves it behind
        long restarted = System.nanoTime();
        secondaries.start("primary"); // its lock is free and the dead one's socket stale: it takes over
        // the moment the new primary listens: its socket replaces the stale one
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!listening(socket, staleSocket) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        long listening = System.nanoTime();
        while (channel.peers().size() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        awaitPeers(1);
        long rejoined = System.nanoTime();
        figure("primary-restart-to-rejoined-ms", (rejoined - restarted) / 1e6);
        // the secondary watches the socket directory: it connects at once, not at its next backoff (up to 2 s)
        figure("primary-listening-to-rejoined-ms", (rejoined - listening) / 1e6);
        Replies replies = channel.request(Message.of("demo.echo", "again"), TIMEOUT);
        assertEquals(diagnose(replies.toString()), 1, replies.received());
    }

    @Test
    public void withPrimaryLossStopASecondaryClosesItsChannelWhenThePrimaryDies() throws Exception {
        // a prefix of its own: the primary this JVM had until now must not be the one this secondary loses first
        Channel old = channel;
        configure("secondary", "itest-stop", java.util.Map.of("primary.loss", "stop"));
        channel = awaitNewChannel("(&(mp.role=secondary)(mp.channel=itest-stop))", old);
        try (SecondaryProcesses primaries = new SecondaryProcesses(socketDir, "itest-stop")) {
            PeerProcess primary = primaries.start("primary");
            awaitPeers(1);
            // the control: a secondary with the default primary.loss=reconnect that loses the same primary
            PeerProcess control = primaries.start().awaitLogged(CONNECTED, 1, START);
            SecondaryProcesses.kill(primary);
            awaitPeers(0);
            for (int i = 0; i < 300 && channel.status().state() != ChannelStatus.State.CLOSED; i++) {
                Thread.sleep(50);
            }
            assertEquals(ChannelStatus.State.CLOSED, channel.status().state());
            // a new primary is not rejoined: with reconnect it would be, as the control is. Lost at the same moment,
            // both retry on the same backoff, so once the control is back this channel would be too, within the
            // longest pause between retries (2 s): it is watched that long, failing as soon as it has a peer.
            primaries.start("primary");
            control.awaitLogged(CONNECTED, 2, START); // the control rejoined the new primary
            long watchUntil = System.nanoTime() + RETRY_PAUSE_MAX.toNanos();
            do {
                assertEquals(0, channel.peers().size());
                Thread.sleep(50);
            } while (System.nanoTime() - watchUntil < 0);
            assertEquals(0, channel.peers().size());
        }
        ChannelException closed = org.junit.Assert.assertThrows(ChannelException.class,
                () -> channel.send(Message.of("demo.echo")));
        assertEquals(ChannelException.Reason.CLOSED, closed.reason());
    }

    private static boolean listening(Path socket, Object staleInode) {
        try {
            return !staleInode.equals(Files.getAttribute(socket, "unix:ino"));
        } catch (java.io.IOException notYet) {
            return false; // between the new primary's unlink and bind
        }
    }

    private static void figure(String name, double value) {
        System.out.printf("FIGURE %s %.1f%n", name, value);
    }
}
