package dev.mpchannel.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.channel.ChannelRuntime;
import dev.mpchannel.transport.channel.LocalChannels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the demo prints of a peer's text reaches the terminal escaped: one line, no escape sequence. */
class DemoConsoleTest {
    @TempDir
    Path dir;

    @Test
    void aGreetingIsPrintedEscaped() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (LocalChannels channels = LocalChannels.start(dir, "demo.*")) {
            HelloAction hello = new HelloAction();
            channels.primary().actions().bind(HelloAction.NAME, hello, false);
            ChannelRuntime secondary = channels.connectSecondary("demo.*");
            secondary.send(Message.of(HelloAction.NAME, "hi\u001b[2J\nreceived message 'forged' from primary"));
            assertTrue(hello.await(1, Duration.ofSeconds(30)), "the greeting did not arrive");
            Peer from = channels.primary().peers().get(0);
            String printed = captured.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("received message 'hi\\x1B[2J\\nreceived message 'forged' from primary' from "
                    + from + " on channel 'test'" + System.lineSeparator()), printed);
            assertFalse(printed.contains("\u001b"), "an escape sequence reached the terminal: " + printed);
        } finally {
            System.setOut(out);
        }
    }
}
