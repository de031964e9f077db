package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Traffic;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.OpenDescriptors;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an action is handed: the channel and peer it came from, whether it is a request, and descriptors it owns only
 * once it takes them. Real sockets, both ends in this JVM.
 */
class ActionContextTest {
    private static final Duration LONG = Duration.ofSeconds(30); // only reached if the behaviour under test is broken

    @TempDir
    Path dir;

    private LocalChannels channels;
    private ChannelRuntime primary;
    private ChannelRuntime secondary;

    @BeforeEach
    void start() throws Exception {
        channels = LocalChannels.start(dir.resolve("sockets"), "test.*");
        primary = channels.primary();
        secondary = channels.connectSecondary("test.*");
    }

    @AfterEach
    void stop() throws Exception {
        channels.close();
    }

    @Test
    void theContextNamesTheChannelThePeerAndWhetherItIsARequest() throws Exception {
        BlockingQueue<ActionContext> handed = new LinkedBlockingQueue<>();
        primary.actions().bind("test.who", context -> {
            handed.add(context);
            return context.isRequest() ? Message.of("test.who", context.channel().name()) : null;
        }, false);
        Replies replies = secondary.request(Message.of("test.who"), LONG);
        assertEquals("test", replies.replies().get(0).message().paramsAsString());
        ActionContext request = handed.poll(30, TimeUnit.SECONDS);
        assertNotNull(request);
        assertSame(primary, request.channel());
        assertSame(primary.peers().get(0), request.peer(), "the very Peer the channel lists for that connection");
        assertEquals("test", request.peer().channel());
        assertTrue(request.isRequest());
        assertTrue(request.requestId() != 0);

        secondary.send(Message.of("test.who"));
        ActionContext message = handed.poll(30, TimeUnit.SECONDS);
        assertNotNull(message);
        assertFalse(message.isRequest());
        assertEquals(0, message.requestId());
    }

    @Test
    void descriptorsTheActionDoesNotTakeAreClosedWhenItReturns() throws Exception {
        BlockingQueue<FileDescriptor> seen = new LinkedBlockingQueue<>();
        primary.actions().bind("test.look", context -> {
            seen.add(context.message().fileDescriptors().get(0)); // looked at, not taken
            return null;
        }, false);
        Path file = Files.writeString(dir.resolve("looked-at.txt"), "content");
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            secondary.send(Message.of("test.look").withFileDescriptors(in.getFD()));
        }
        FileDescriptor fd = seen.poll(30, TimeUnit.SECONDS);
        assertNotNull(fd);
        Await.until("the untaken descriptor closed", () -> !fd.valid() && OpenDescriptors.under(file).isEmpty());
    }

    @Test
    void descriptorsTakenStayOpenAndAnAsyncActionKeepsTheRestUntilItsStageCompletes() throws Exception {
        CompletableFuture<Message> later = new CompletableFuture<>();
        BlockingQueue<List<FileDescriptor>> taken = new LinkedBlockingQueue<>();
        BlockingQueue<FileDescriptor> left = new LinkedBlockingQueue<>();
        primary.actions().bind("test.two", Action.async(context -> {
            taken.add(context.takeFileDescriptors());
            assertTrue(context.takeFileDescriptors().isEmpty(), "taken once");
            return later;
        }), false);
        primary.actions().bind("test.later", Action.async(context -> {
            left.add(context.message().fileDescriptors().get(0));
            return later;
        }), false);
        Path kept = Files.writeString(dir.resolve("kept.txt"), "kept");
        Path pending = Files.writeString(dir.resolve("pending.txt"), "pending");
        try (FileInputStream a = new FileInputStream(kept.toFile());
                FileInputStream b = new FileInputStream(pending.toFile())) {
            CompletableFuture<Replies> first = secondary.requestAsync(Message.of("test.two")
                    .withFileDescriptors(a.getFD()), LONG).toCompletableFuture();
            CompletableFuture<Replies> second = secondary.requestAsync(Message.of("test.later")
                    .withFileDescriptors(b.getFD()), LONG).toCompletableFuture();
            List<FileDescriptor> mine = taken.poll(30, TimeUnit.SECONDS);
            FileDescriptor notTaken = left.poll(30, TimeUnit.SECONDS);
            assertNotNull(mine);
            assertNotNull(notTaken);
            assertTrue(notTaken.valid(), "open while the action's stage runs");
            later.complete(null);
            assertEquals(1, first.get(30, TimeUnit.SECONDS).received());
            assertEquals(1, second.get(30, TimeUnit.SECONDS).received());
            Await.until("the untaken descriptor closed once the stage completed", () -> !notTaken.valid());
            try (FileInputStream in = new FileInputStream(mine.get(0))) {
                assertEquals("kept", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aReplyToAMessageIsNotSentAndCountsAsTheActionsError() throws Exception {
        BlockingQueue<String> ran = new LinkedBlockingQueue<>();
        secondary.actions().bind("test.answer", context -> {
            ran.add(context.message().paramsAsString());
            return Message.of("test.answer", "nobody waits for this");
        }, false);
        assertEquals(1, primary.send(Message.of("test.answer", "a message")));
        assertEquals("a message", ran.poll(30, TimeUnit.SECONDS));
        Traffic traffic = Await.value(() -> secondary.status().actions().get("test.answer").errors(), 1L) == 1
                ? secondary.status().actions().get("test.answer") : null;
        assertNotNull(traffic);
        assertEquals(0, traffic.messagesOut(), "the reply was not written");
    }
}
