package dev.mpchannel.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.testkit.PeerProcess;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.ServiceRegistration;

/**
 * The primary runs in Felix in this JVM (Pax Exam's native container); each secondary is a separate JVM process
 * running the dist's Felix with the demo bundle, whose actions (demo.echo, demo.read-fd, demo.tell, demo.ask) let the
 * test make a secondary act. Each test gets a fresh framework, channel and secondaries.
 */
@RunWith(PaxExam.class)
public class ChannelIT extends AbstractChannelIT {
    @Test
    public void messagesCrossInBothDirectionsBetweenProcesses() throws Exception {
        BlockingQueue<String> greetings = new LinkedBlockingQueue<>();
        register("demo.hello", context -> {
            greetings.add(context.peer().pid() + ":" + context.message().paramsAsString());
            return null;
        });
        PeerProcess secondary = secondaries.start();
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
                context -> Message.of("itest.dynamic", "served to pid " + context.peer().pid()));
        String answer = ask("itest.dynamic");
        assertTrue(answer, answer.startsWith("REPLIED:served to pid "));

        registration.unregister();
        answer = ask("itest.dynamic");
        assertTrue(answer, answer.startsWith("IGNORED:no action 'itest.dynamic' is registered"));
    }

    @Test
    public void anActionOffTheWhitelistIsNotBound() throws Exception {
        register("secret.action", context -> Message.of("secret.action", "leaked"));
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
        PeerProcess doomed = secondaries.start();
        secondaries.start();
        awaitPeers(2);
        SecondaryProcesses.kill(doomed);
        awaitPeers(1);
        Replies replies = channel.request(Message.of("demo.echo", "still there?"), TIMEOUT);
        assertEquals(1, replies.sent());
        assertEquals(1, replies.received());
    }

    @Test
    public void withRoleAutoTheFirstProcessIsPrimaryAndTheNextASecondary() throws Exception {
        configure("auto", "itest"); // no other primary for this prefix: this process becomes it
        channel = awaitNewChannel("(&(mp.role=primary)(mp.channel=itest))", channel);
        PeerProcess secondary = secondaries.start("auto"); // a primary is alive: it becomes a secondary
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
            channel = awaitNewChannel("(&(mp.role=primary)(mp.channel=" + prefix + "))", channel);
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
}
