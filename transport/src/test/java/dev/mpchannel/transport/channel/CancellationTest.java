package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.action.ActionRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request the requester gives up on (cancels its stage, lets its timeout pass, or goes away) is forgotten here at
 * once and reaches the action still at work on it over there. Real sockets, both ends in this JVM.
 */
class CancellationTest {
    private static final Duration LONG = Duration.ofSeconds(30); // only reached if the behaviour under test is broken

    @TempDir
    Path dir;

    private LocalChannels channels;
    private ChannelRuntime primary;
    private ChannelRuntime secondary;
    private final BlockingQueue<ActionContext> started = new LinkedBlockingQueue<>();
    private final CountDownLatch cancelled = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        channels = LocalChannels.start(dir, "test.*");
        primary = channels.primary();
        secondary = channels.connectSecondary("test.*");
        // answers when told it is cancelled, and not before: as long work that checks would
        Action patient = Action.async(context -> {
            CompletableFuture<Message> answer = new CompletableFuture<>();
            context.onCancel(() -> {
                cancelled.countDown();
                answer.complete(Message.of("test.patient", "stopped early"));
            });
            started.add(context);
            return answer;
        });
        secondary.actions().bind("test.patient", patient, false);
        primary.actions().bind("test.patient", patient, false);
    }

    @AfterEach
    void stop() throws Exception {
        channels.close();
    }

    @Test
    void aCancelledRequestAsyncIsForgottenAtOnceAndTheActionAtWorkOnItLearnsIt() throws Exception {
        CompletableFuture<Replies> stage = primary.requestAsync(Message.of("test.patient"), LONG).toCompletableFuture();
        ActionContext running = started.poll(30, TimeUnit.SECONDS);
        assertFalse(running.isCancelled());
        assertEquals(1, primary.status().pendingRequests());

        assertTrue(stage.cancel(true));
        assertEquals(0, primary.status().pendingRequests(), "no pending request once the stage is cancelled");
        assertTrue(cancelled.await(30, TimeUnit.SECONDS), "the action never learnt of the cancel");
        assertTrue(running.isCancelled());
        Await.until("the dropped answer left nothing behind", () -> primary.status().pendingRequests() == 0
                && secondary.status().pendingRequests() == 0);
    }

    @Test
    void aRequestWhoseTimeoutPassesIsCancelledAtThePeer() throws Exception {
        Replies replies = primary.request(Message.of("test.patient"), Duration.ofMillis(200));
        assertEquals(Reply.Status.TIMED_OUT, replies.replies().get(0).status());
        assertTrue(cancelled.await(30, TimeUnit.SECONDS), "the action never learnt that the time was up");
        assertTrue(started.poll().isCancelled());
    }

    @Test
    void aRequesterThatGoesAwayCancelsWhatItAskedFor() throws Exception {
        secondary.requestAsync(Message.of("test.patient"), LONG);
        ActionContext running = started.poll(30, TimeUnit.SECONDS);
        assertFalse(running.isCancelled());
        secondary.close();
        assertTrue(cancelled.await(30, TimeUnit.SECONDS), "the action never learnt that its requester left");
    }

    @Test
    void namesOfTheReservedPrefixAreNotBound() {
        ActionRegistry registry = primary.actions();
        assertEquals(ActionRegistry.Binding.REFUSED, registry.bind("mp.cancel", context -> null, false));
        assertEquals(ActionRegistry.Binding.REFUSED, registry.bind("mp.mine", context -> null, false));
    }
}
