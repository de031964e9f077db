package dev.mpchannel.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.transport.channel.ChannelEndpoint;
import dev.mpchannel.transport.channel.LocalChannels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands against a real primary with a real secondary over a Unix socket. */
class ChannelCommandsTest {
    @TempDir
    Path dir;

    private LocalChannels channels;
    private ChannelCommands commands;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        channels = LocalChannels.start(dir, "shell.*");
        ChannelEndpoint secondary = channels.connectSecondary("shell.*");
        secondary.actions().bind("shell.echo", (m, from) -> Message.of("shell.echo", "echo " + m.paramsAsString()));
        secondary.actions().bind("shell.note", (m, from) -> {
            received.add(m.paramsAsString());
            return null;
        });
        channels.primary().actions().bind("other.action", (m, from) -> m); // refused: not on shell.*
        commands = new ChannelCommands(channels.primary());
    }

    @AfterEach
    void stop() throws Exception {
        channels.close();
    }

    @Test
    void statusShowsRoleSocketStateAndActions() {
        String status = commands.status();
        assertTrue(status.contains("role      primary"), status);
        assertTrue(status.contains(channels.paths().socket().toString()), status);
        assertTrue(status.contains("LISTENING"), status);
        assertTrue(status.contains("peers     1"), status);
        assertTrue(status.contains("refused   other.action  (not on allowed.actions)"), status);
    }

    @Test
    void requestPrintsTheAggregatedReplies() throws Exception {
        String out = commands.request("-t", "5s", "shell.echo", "hello", "there");
        assertTrue(out.startsWith("sent 1, received 1\n"), out);
        assertTrue(out.contains("REPLIED  echo hello there"), out);
        assertTrue(commands.request("shell.nothing").contains("IGNORED"));
    }

    @Test
    void sendReachesThePeerAndIsCounted() throws Exception {
        assertEquals("written to 1 peer\n", commands.send("shell.note", "hi"));
        assertEquals("hi", received.poll(30, TimeUnit.SECONDS));
        long peerId = channels.primary().peers().get(0).id();
        assertEquals("written to peer " + peerId + "\n", commands.send("--peer", Long.toString(peerId), "shell.note", "x"));
        String peers = commands.peers();
        assertTrue(peers.contains(" 0/2 "), peers); // two messages out, none in
        assertTrue(commands.actions().contains("shell.note"));
    }

    @Test
    void badArgumentsSayWhatIsWrongAndHowToCallIt() {
        assertMessage("no action name given", () -> commands.send());
        assertMessage("-t needs a value", () -> commands.request("-t"));
        assertMessage("timeout 'soon' is not a duration", () -> commands.request("-t", "soon", "shell.echo"));
        assertMessage("timeout must be positive", () -> commands.request("-t", "0s", "shell.echo"));
        assertMessage("unknown option -t", () -> commands.send("-t", "1s", "shell.echo"));
        assertMessage("peer id must be a number", () -> commands.send("-p", "x", "shell.echo"));
        assertMessage("no peer with id 99", () -> commands.send("-p", "99", "shell.echo"));
        assertMessage("65 UTF-8 bytes", () -> commands.send("x".repeat(65)));
    }

    @Test
    void withoutAChannelTheCommandsSaySo() {
        ChannelCommands alone = new ChannelCommands(null);
        assertMessage("no mpchannel Channel service", alone::status);
    }

    @Test
    void durationsTakeCommonForms() {
        assertEquals(Duration.ofMillis(250), Arguments.duration("250ms", ""));
        assertEquals(Duration.ofSeconds(2), Arguments.duration("2s", ""));
        assertEquals(Duration.ofMinutes(1), Arguments.duration("1m", ""));
        assertEquals(Duration.ofSeconds(3), Arguments.duration("PT3S", ""));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
