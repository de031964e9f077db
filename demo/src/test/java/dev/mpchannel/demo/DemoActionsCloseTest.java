package dev.mpchannel.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.transport.channel.ChannelRuntime;
import dev.mpchannel.transport.channel.LocalChannels;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every demo action, sent real descriptors over a real channel again and again, leaves this process with no more
 * descriptors than it had: what an action receives is its own, and it closes it whether it succeeds or fails. The
 * primary and its secondary share this JVM, so {@code /proc/self/fd} counts the receiving side.
 */
class DemoActionsCloseTest {
    private static final int FDS = 8;
    private static final int ROUNDS = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private LocalChannels channels;
    private Path file;

    @BeforeEach
    void start() throws Exception {
        file = Files.writeString(dir.resolve("content"), "through the descriptor");
        channels = LocalChannels.start(dir, new Capacity(2, 1024, 4, TIMEOUT), new FrameLimits(4096, FDS, 4096),
                "demo.*");
        ChannelRuntime secondary = channels.connectSecondary("demo.*");
        bind(channels.primary(), "demo.echo", new EchoAction());
        bind(channels.primary(), HelloAction.NAME, new HelloAction());
        bind(secondary, "demo.echo", new EchoAction());
        bind(secondary, HelloAction.NAME, new HelloAction());
        bind(secondary, "demo.read-fd", new ReadFdAction());
        bind(secondary, "demo.tell", new TellAction());
        bind(secondary, AskAction.NAME, new AskAction());
    }

    @AfterEach
    void stop() throws IOException {
        channels.close();
    }

    private static void bind(ChannelRuntime channel, String name, Action action) {
        channel.actions().bind(name, action, false);
    }

    @ParameterizedTest(name = "{0} with {1} descriptors")
    @CsvSource({
        "demo.echo, 8, REPLIED",
        "demo.hello, 8, REPLIED",
        "demo.read-fd, 1, REPLIED",
        "demo.read-fd, 8, FAILED",
        "demo.tell, 8, REPLIED",
        "demo.ask, 8, REPLIED"})
    void closesWhatItReceives(String action, int fds, Reply.Status expected) throws Exception {
        String params = action.equals(AskAction.NAME) ? "demo.echo" : "x";
        send(action, params, fds, expected); // the first round opens what the channel keeps open (threads, classes)
        long before = openDescriptors();
        for (int i = 0; i < ROUNDS; i++) {
            send(action, params, fds, expected);
        }
        // the last round's descriptors are closed once its action is done, which may be a moment after its reply came
        long after = openDescriptors();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (after - before >= FDS && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = openDescriptors();
        }
        assertTrue(after - before < FDS, action + " with " + fds + " descriptors, " + ROUNDS + " times: " + before
                + " descriptors open before, " + after + " after");
    }

    /** Requests {@code action} with {@code fds} descriptors of the file, and closes this side's copies. */
    private void send(String action, String params, int fds, Reply.Status expected) throws Exception {
        List<FileInputStream> opened = new ArrayList<>();
        try {
            List<FileDescriptor> descriptors = new ArrayList<>();
            for (int i = 0; i < fds; i++) {
                FileInputStream in = new FileInputStream(file.toFile());
                opened.add(in);
                descriptors.add(in.getFD());
            }
            Replies replies = channels.primary().request(Message.of(action, params).withFileDescriptors(descriptors),
                    TIMEOUT);
            assertEquals(1, replies.replies().size(), replies.toString());
            assertEquals(expected, replies.replies().get(0).status(), replies.toString());
        } finally {
            for (FileInputStream in : opened) {
                in.close();
            }
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
