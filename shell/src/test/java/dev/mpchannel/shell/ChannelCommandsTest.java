package dev.mpchannel.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.transport.channel.ChannelRuntime;
import dev.mpchannel.transport.channel.LocalChannels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against a real primary with a real secondary over a Unix socket (channel {@code a}); where two
 * channels are needed, also a second pair in another directory whose secondary is channel {@code b}.
 */
class ChannelCommandsTest {
    private static final String TWO = "2 channels: a (primary), b (secondary); pick one with -c NAME";

    @TempDir
    Path dir;
    @TempDir
    Path otherDir;

    private LocalChannels channels;
    private LocalChannels other;
    private ChannelCommands commands;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        channels = LocalChannels.start(dir, "shell.*");
        ChannelRuntime secondary = channels.connectSecondary("shell.*");
        secondary.actions().bind("shell.echo", (m, from) -> Message.of("shell.echo", "echo " + m.paramsAsString()), false);
        secondary.actions().bind("shell.note", (m, from) -> {
            received.add(m.paramsAsString());
            return null;
        }, false);
        channels.primary().actions().bind("other.action", (m, from) -> m, false); // refused: not on shell.*
        commands = new ChannelCommands(Map.of("a", channels.primary()));
    }

    @AfterEach
    void stop() throws Exception {
        channels.close();
        if (other != null) {
            other.close();
        }
    }

    /** Commands that see channel a (the first primary) and channel b (the secondary of a second primary). */
    private ChannelCommands twoChannels() throws Exception {
        other = LocalChannels.start(otherDir, "shell.*");
        other.primary().actions().bind("shell.echo", (m, from) -> Message.of("shell.echo", "b " + m.paramsAsString()), false);
        ChannelRuntime b = other.connectSecondary("shell.*");
        return new ChannelCommands(Map.of("a", channels.primary(), "b", b));
    }

    @Test
    void statusShowsNameRoleSocketStateAndActions() {
        String status = commands.status();
        assertTrue(status.startsWith("name      a\n"), status);
        assertTrue(status.contains("role      primary"), status);
        assertTrue(status.contains(channels.paths().socket().toString()), status);
        assertTrue(status.contains("LISTENING"), status);
        assertTrue(status.contains("peers     1"), status);
        assertTrue(status.contains("refused   other.action  (not on allowed.actions)"), status);
        assertEquals(status, commands.status("-c", "a"));
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
    void withOneChannelTheNameMayBeGivenOrNot() throws Exception {
        assertTrue(commands.request("-c", "a", "shell.echo", "x").contains("REPLIED  echo x"));
        assertTrue(commands.request("--channel", "a", "-t", "5s", "shell.echo", "y").contains("REPLIED  echo y"));
        assertEquals("written to 1 peer\n", commands.send("-c", "a", "shell.note", "z"));
        assertEquals(commands.peers(), commands.peers("-c", "a"));
        assertEquals(commands.actions(), commands.actions("--channel", "a"));
    }

    @Test
    void cPicksTheChannel() throws Exception {
        ChannelCommands two = twoChannels();
        assertTrue(two.request("-c", "a", "shell.echo", "hi").contains("REPLIED  echo hi"));
        String b = two.request("--channel", "b", "-t", "5s", "shell.echo", "hi");
        assertTrue(b.contains("REPLIED  b hi"), b);
        long primaryOfB = other.secondaries().get(0).peers().get(0).id();
        assertEquals("written to peer " + primaryOfB + "\n",
                two.send("-c", "b", "-p", Long.toString(primaryOfB), "shell.echo", "x"));
    }

    @Test
    void withSeveralChannelsAndNoCTheCommandsListThem() throws Exception {
        ChannelCommands two = twoChannels();
        assertMessage(TWO + "\nusage: " + ChannelCommands.PEERS_USAGE, two::peers);
        assertMessage(TWO + "\nusage: " + ChannelCommands.ACTIONS_USAGE, two::actions);
        assertMessage(TWO + "\nusage: " + ChannelCommands.SEND_USAGE, () -> two.send("shell.note", "x"));
        assertMessage(TWO + "\nusage: " + ChannelCommands.REQUEST_USAGE, () -> two.request("shell.echo"));
    }

    @Test
    void anUnknownChannelNameListsTheChannels() throws Exception {
        assertMessage("no channel named 'x'; the channels are: a (primary)\nusage: " + ChannelCommands.SEND_USAGE,
                () -> commands.send("-c", "x", "shell.note"));
        ChannelCommands two = twoChannels();
        String listed = "no channel named 'x'; the channels are: a (primary), b (secondary)\nusage: ";
        assertMessage(listed + ChannelCommands.STATUS_USAGE, () -> two.status("-c", "x"));
        assertMessage(listed + ChannelCommands.PEERS_USAGE, () -> two.peers("-c", "x"));
        assertMessage(listed + ChannelCommands.REQUEST_USAGE, () -> two.request("-c", "x", "shell.echo"));
    }

    @Test
    void statusWithoutCShowsEveryChannel() throws Exception {
        ChannelCommands two = twoChannels();
        String all = two.status();
        String a = two.status("-c", "a");
        String b = two.status("-c", "b");
        assertEquals(a + "\n" + b, all);
        assertTrue(a.startsWith("name      a\nrole      primary\n"), a);
        assertTrue(b.startsWith("name      b\nrole      secondary\n"), b);
        assertTrue(b.contains(other.paths().socket().toString()), b);
        assertTrue(b.contains("CONNECTED"), b);
        assertFalse(b.contains("other.action"), b);
    }

    @Test
    void peersAndActionsOfTheChannelNamed() throws Exception {
        ChannelCommands two = twoChannels();
        two.request("-c", "b", "shell.echo", "hi");
        String peersOfA = two.peers("-c", "a");
        String peersOfB = two.peers("-c", "b");
        assertTrue(peersOfA.lines().skip(1).allMatch(line -> line.contains("secondary")), peersOfA);
        assertTrue(peersOfB.lines().skip(1).allMatch(line -> line.contains("primary")), peersOfB);
        assertTrue(peersOfB.contains(" 1/1 "), peersOfB); // the request out, its reply in
        String actionsOfA = two.actions("-c", "a");
        String actionsOfB = two.actions("--channel", "b");
        assertTrue(actionsOfA.contains("other.action  refused"), actionsOfA);
        assertTrue(actionsOfB.contains("shell.echo"), actionsOfB);
        assertFalse(actionsOfB.contains("other.action"), actionsOfB);
    }

    @Test
    void badArgumentsSayWhatIsWrongAndHowToCallIt() {
        assertMessage("no action name given", () -> commands.send());
        assertMessage("-t needs a value", () -> commands.request("-t"));
        assertMessage("timeout 'soon' is not a duration", () -> commands.request("-t", "soon", "shell.echo"));
        assertMessage("timeout must be positive", () -> commands.request("-t", "0s", "shell.echo"));
        assertMessage("unknown option -t", () -> commands.send("-t", "1s", "shell.echo"));
        assertMessage("peer id must be a number", () -> commands.send("-p", "x", "shell.echo"));
        assertMessage("no peer with id 99 on channel a (see mp:peers -c a)", () -> commands.send("-p", "99", "shell.echo"));
        assertMessage("65 UTF-8 bytes", () -> commands.send("x".repeat(65)));
        assertMessage("-c needs a value\nusage: " + ChannelCommands.REQUEST_USAGE, () -> commands.request("-c"));
        assertMessage("--channel needs a value\nusage: " + ChannelCommands.PEERS_USAGE, () -> commands.peers("--channel"));
        assertMessage("channel name must not be empty", () -> commands.send("-c", " ", "shell.echo"));
        assertMessage("unexpected argument 'x'\nusage: " + ChannelCommands.PEERS_USAGE, () -> commands.peers("x"));
        assertMessage("unknown option -p\nusage: " + ChannelCommands.STATUS_USAGE, () -> commands.status("-p", "1"));
        assertMessage("unknown option -t\nusage: " + ChannelCommands.ACTIONS_USAGE, () -> commands.actions("-t", "1s"));
    }

    @Test
    void withoutAChannelTheCommandsSaySoAndWhatToConfigure() {
        ChannelCommands alone = new ChannelCommands(Map.of());
        assertMessage(ChannelCommands.NO_CHANNEL, alone::status);
        assertMessage("no mpchannel Channel service: configure a channel with a factory configuration "
                + "dev.mpchannel.channel (e.g. a file dev.mpchannel.channel-NAME.cfg)", alone::peers);
        assertMessage(ChannelCommands.NO_CHANNEL, () -> alone.send("shell.note"));
        assertMessage("no channel named 'a': " + ChannelCommands.NO_CHANNEL, () -> alone.actions("-c", "a"));
    }

    @Test
    void theReferenceFollowsTheServicesByTheirProperties() throws Exception {
        ChannelCommands osgi = new ChannelCommands();
        assertMessage(ChannelCommands.NO_CHANNEL, osgi::status);
        Map<String, Object> properties = Map.of(Channel.NAME, "x", "mp.role", "primary");
        osgi.bindChannel(channels.primary(), properties);
        assertTrue(osgi.status().startsWith("name      x\nrole      primary\n"));
        assertTrue(osgi.request("-c", "x", "shell.echo", "hi").contains("REPLIED  echo hi"));
        osgi.updatedChannel(channels.primary(), Map.of(Channel.NAME, "y", "mp.role", "primary"));
        assertMessage("no channel named 'x'; the channels are: y (primary)", () -> osgi.peers("-c", "x"));
        osgi.unbindChannel(channels.primary(), properties);
        assertMessage(ChannelCommands.NO_CHANNEL, osgi::actions);
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
