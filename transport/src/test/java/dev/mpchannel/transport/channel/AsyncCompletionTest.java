package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.channel.peer.Handoffs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the stages of {@code requestAsync} complete: never where an action may be holding the only thread. */
class AsyncCompletionTest {
    @TempDir
    Path dir;

    @Test
    void anActionOnTheOnlyPoolThreadMayWaitForItsAsyncRequest() throws Exception {
        Capacity oneThread = new Capacity(1, 1024, 4096, Duration.ofSeconds(30));
        // reader.handoff.us=0: an ordinary action runs on the action pool, never on the reader thread
        try (LocalChannels channels = LocalChannels.start(dir, oneThread, Handoffs.of(50, 0), "test.*")) {
            ChannelRuntime secondary = channels.connectSecondary("test.*");
            secondary.actions().bind("test.echo", context -> context.message(), false);
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            channels.primary().actions().bind("test.outer", context -> {
                try {
                    // the request times out in 2 s whatever happens; 10 s is its stage's margin to complete
                    outcome.complete(channels.primary().requestAsync(context.peer(), Message.of("test.echo"),
                            Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS));
                } catch (Exception e) {
                    outcome.complete(e);
                }
                return null;
            }, false);
            secondary.send(Message.of("test.outer"));
            Object got = outcome.get(30, TimeUnit.SECONDS);
            assertTrue(got instanceof Replies replies && replies.received() == 1,
                    "the action's async request should complete with its reply, got " + got);
        }
    }
}
