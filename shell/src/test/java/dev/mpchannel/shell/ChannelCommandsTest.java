package dev.mpchannel.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.ChannelRuntime;
import dev.mpchannel.transport.channel.LocalChannels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.felix.gogo.command.Basic;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The commands against a real primary with a real secondary over a Unix socket (channel {@code a}); where two
 * channels are needed, also a second pair in another directory whose secondary is channel {@code b}.
 */
class ChannelCommandsTest {
    private static final String TWO = "2 channels: a (primary), b (secondary); pick one with -c NAME";
    /** What Gogo passes for -c or -p when the line has none. */
    private static final String ANY = ChannelCommands.NOT_GIVEN;
    /** What Gogo passes for -t when the line has none. */
    private static final String DEFAULT = Timeout.DEFAULT;

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
        secondary.actions().bind("shell.echo", context -> Message.of("shell.echo", "echo " + context.message().paramsAsString()), false);
        secondary.actions().bind("shell.note", context -> {
            received.add(context.message().paramsAsString());
            return null;
        }, false);
        channels.primary().actions().bind("other.action", context -> context.message(), false); // refused: not on shell.*
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
        other.primary().actions().bind("shell.echo", context -> Message.of("shell.echo", "b " + context.message().paramsAsString()), false);
        ChannelRuntime b = other.connectSecondary("shell.*");
        return new ChannelCommands(Map.of("a", channels.primary(), "b", b));
    }

    @Test
    void statusShowsNameRoleSocketStateAndActions() {
        String status = commands.status(ANY);
        assertTrue(status.startsWith("name      a\n"), status);
        assertTrue(status.contains("role      primary"), status);
        assertTrue(status.contains(channels.paths().socket().toString()), status);
        assertTrue(status.contains("LISTENING"), status);
        assertTrue(status.contains("peers     1"), status);
        assertTrue(status.contains("refused   other.action  (not on allowed.actions)"), status);
        assertEquals(status, commands.status("a"));
    }

    @Test
    void requestPrintsTheAggregatedReplies() throws Exception {
        String out = commands.request(ANY, "5s", ANY, ANY, "shell.echo", "hello", "there");
        assertTrue(out.startsWith("sent 1, received 1\n"), out);
        assertTrue(out.contains("REPLIED  echo hello there"), out);
        assertTrue(commands.request(ANY, DEFAULT, ANY, ANY, "shell.nothing").contains("IGNORED"));
    }

    @Test
    void sendReachesThePeerAndIsCounted() throws Exception {
        assertEquals("written to 1 peer\n", commands.send(ANY, ANY, "shell.note", "hi"));
        assertEquals("hi", received.poll(30, TimeUnit.SECONDS));
        long peerId = channels.primary().peers().get(0).id();
        assertEquals("written to peer " + peerId + "\n", commands.send(ANY, Long.toString(peerId), "shell.note", "x"));
        String peers = commands.peers(ANY);
        assertTrue(peers.contains(" 0/2 "), peers); // two messages out, none in
        assertTrue(commands.actions(ANY).contains("shell.note"));
    }

    /**
     * An action name from the wire may hold any character but for invalid Unicode (Message.checkName): here an escape
     * sequence that would colour the console and a newline that would forge a row of the table.
     */
    @Test
    void actionNamesFromTheWireArePrintedEscapedOneRowEach() throws Exception {
        String hostile = "shell.\u001b[31mred\n9  forged  bound";
        channels.secondaries().get(0).send(Message.of(hostile, "x"));
        Await.until("the primary has seen the hostile name",
                () -> channels.primary().status().actions().containsKey(hostile));
        String actions = commands.actions(ANY);
        assertFalse(actions.contains("\u001b") || actions.contains("\r"), actions);
        assertTrue(actions.contains("shell.\\x1B[31mred\\n9  forged  bound  "), actions);
        ChannelStatus status = channels.primary().status();
        TreeSet<String> names = new TreeSet<>(status.actions().keySet());
        names.addAll(status.boundActions());
        names.addAll(status.refusedActions());
        assertEquals(1 + names.size(), actions.lines().count(), actions); // the header, then one row per name
    }

    /** A reply's text and a failure's text come from the peer as they are: they are printed escaped too. */
    @Test
    void replyTextsFromThePeerArePrintedEscaped() throws Exception {
        ChannelRuntime secondary = channels.secondaries().get(0);
        secondary.actions().bind("shell.evil", context -> Message.of("shell.evil",
                "\u001b]0;owned\u0007\u001b[2J\n2  99  REPLIED  forged \u202egnp.exe"), false);
        secondary.actions().bind("shell.fail", context -> {
            throw new IllegalStateException("bad\n\u001b[2Jthing");
        }, false);
        String replied = commands.request(ANY, "5s", ANY, ANY, "shell.evil");
        assertFalse(replied.contains("\u001b") || replied.contains("\u202e"), replied);
        assertTrue(replied.contains("REPLIED  \\x1B]0;owned\\x07\\x1B[2J\\n2  99  REPLIED  forged \\u{202E}gnp.exe\n"),
                replied);
        assertEquals(3, replied.lines().count(), replied); // sent/received, the header, one row
        String failed = commands.request(ANY, "5s", ANY, ANY, "shell.fail");
        assertFalse(failed.contains("\u001b"), failed);
        assertTrue(failed.contains("FAILED") && failed.contains("bad\\n\\x1B[2Jthing"), failed);
        assertEquals(3, failed.lines().count(), failed);
    }

    @Test
    void withOneChannelTheNameMayBeGivenOrNot() throws Exception {
        assertTrue(commands.request("a", DEFAULT, ANY, ANY, "shell.echo", "x").contains("REPLIED  echo x"));
        assertTrue(commands.request("a", "5s", ANY, ANY, "shell.echo", "y").contains("REPLIED  echo y"));
        assertEquals("written to 1 peer\n", commands.send("a", ANY, "shell.note", "z"));
        assertEquals(commands.peers(ANY), commands.peers("a"));
        assertEquals(commands.actions(ANY), commands.actions("a"));
    }

    @Test
    void cPicksTheChannel() throws Exception {
        ChannelCommands two = twoChannels();
        assertTrue(two.request("a", DEFAULT, ANY, ANY, "shell.echo", "hi").contains("REPLIED  echo hi"));
        String b = two.request("b", "5s", ANY, ANY, "shell.echo", "hi");
        assertTrue(b.contains("REPLIED  b hi"), b);
        long primaryOfB = other.secondaries().get(0).peers().get(0).id();
        assertEquals("written to peer " + primaryOfB + "\n",
                two.send("b", Long.toString(primaryOfB), "shell.echo", "x"));
    }

    @Test
    void withSeveralChannelsAndNoCTheCommandsListThem() throws Exception {
        ChannelCommands two = twoChannels();
        assertMessage(TWO + "\nusage: " + ChannelCommands.PEERS_USAGE, () -> two.peers(ANY));
        assertMessage(TWO + "\nusage: " + ChannelCommands.ACTIONS_USAGE, () -> two.actions(ANY));
        assertMessage(TWO + "\nusage: " + ChannelCommands.SEND_USAGE, () -> two.send(ANY, ANY, "shell.note", "x"));
        assertMessage(TWO + "\nusage: " + ChannelCommands.REQUEST_USAGE, () -> two.request(ANY, DEFAULT, ANY, ANY, "shell.echo"));
    }

    @Test
    void anUnknownChannelNameListsTheChannels() throws Exception {
        assertMessage("no channel named 'x'; the channels are: a (primary)\nusage: " + ChannelCommands.SEND_USAGE,
                () -> commands.send("x", ANY, "shell.note"));
        ChannelCommands two = twoChannels();
        String listed = "no channel named 'x'; the channels are: a (primary), b (secondary)\nusage: ";
        assertMessage(listed + ChannelCommands.STATUS_USAGE, () -> two.status("x"));
        assertMessage(listed + ChannelCommands.PEERS_USAGE, () -> two.peers("x"));
        assertMessage(listed + ChannelCommands.REQUEST_USAGE, () -> two.request("x", DEFAULT, ANY, ANY, "shell.echo"));
    }

    @Test
    void statusWithoutCShowsEveryChannel() throws Exception {
        ChannelCommands two = twoChannels();
        String all = two.status(ANY);
        String a = two.status("a");
        String b = two.status("b");
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
        two.request("b", DEFAULT, ANY, ANY, "shell.echo", "hi");
        String peersOfA = two.peers("a");
        String peersOfB = two.peers("b");
        assertTrue(peersOfA.lines().skip(1).allMatch(line -> line.contains("secondary")), peersOfA);
        assertTrue(peersOfB.lines().skip(1).allMatch(line -> line.contains("primary")), peersOfB);
        assertTrue(peersOfB.contains(" 1/1 "), peersOfB); // the request out, its reply in
        String actionsOfA = two.actions("a");
        String actionsOfB = two.actions("b");
        assertTrue(actionsOfA.contains("other.action  refused"), actionsOfA);
        assertTrue(actionsOfB.contains("shell.echo"), actionsOfB);
        assertFalse(actionsOfB.contains("other.action"), actionsOfB);
    }

    /** What Gogo passes to the methods for each wrong line (see gogoReportsALineThatFitsNoSignature for the rest). */
    @Test
    void badArgumentsSayWhatIsWrongAndHowToCallIt() {
        assertMessage("no action name given\nusage: " + ChannelCommands.SEND_USAGE, () -> commands.send(ANY, ANY));
        assertMessage("timeout 'soon' is not a duration like 500ms, 2s or 1m\nusage: " + ChannelCommands.REQUEST_USAGE,
                () -> commands.request(ANY, "soon", ANY, ANY, "shell.echo"));
        assertMessage("timeout must be positive", () -> commands.request(ANY, "0s", ANY, ANY, "shell.echo"));
        assertMessage("unknown option -t\nusage: " + ChannelCommands.SEND_USAGE,
                () -> commands.send(ANY, ANY, "-t", "1s", "shell.echo"));
        assertMessage("option -c given twice\nusage: " + ChannelCommands.REQUEST_USAGE,
                () -> commands.request("a", DEFAULT, ANY, ANY, "-c", "b", "shell.echo"));
        assertMessage("peer id must be a number (see mp:peers), not 'x'\nusage: " + ChannelCommands.SEND_USAGE,
                () -> commands.send(ANY, "x", "shell.echo"));
        assertMessage("no peer with id 99 on channel a (see mp:peers -c a)", () -> commands.send(ANY, "99", "shell.echo"));
        assertMessage("65 UTF-8 bytes", () -> commands.send(ANY, ANY, "x".repeat(65)));
        assertMessage("channel name must not be empty", () -> commands.send(" ", ANY, "shell.echo"));
    }

    @Test
    void withoutAChannelTheCommandsSaySoAndWhatToConfigure() {
        ChannelCommands alone = new ChannelCommands(Map.of());
        assertMessage(ChannelsByName.NO_CHANNEL, () -> alone.status(ANY));
        assertMessage("no mpchannel Channel service: configure a channel with a factory configuration "
                + "dev.mpchannel.channel (e.g. a file dev.mpchannel.channel-NAME.cfg)", () -> alone.peers(ANY));
        assertMessage(ChannelsByName.NO_CHANNEL, () -> alone.send(ANY, ANY, "shell.note"));
        assertMessage("no channel named 'a': " + ChannelsByName.NO_CHANNEL, () -> alone.actions("a"));
    }

    @Test
    void theReferenceFollowsTheServicesByTheirProperties() throws Exception {
        ChannelCommands osgi = new ChannelCommands();
        assertMessage(ChannelsByName.NO_CHANNEL, () -> osgi.status(ANY));
        Map<String, Object> properties = Map.of(Channel.NAME, "x", "mp.role", "primary");
        osgi.bindChannel(channels.primary(), properties);
        assertTrue(osgi.status(ANY).startsWith("name      x\nrole      primary\n"));
        assertTrue(osgi.request("x", DEFAULT, ANY, ANY, "shell.echo", "hi").contains("REPLIED  echo hi"));
        osgi.updatedChannel(channels.primary(), Map.of(Channel.NAME, "y", "mp.role", "primary"));
        assertMessage("no channel named 'x'; the channels are: y (primary)", () -> osgi.peers("x"));
        osgi.unbindChannel(channels.primary(), properties);
        assertMessage(ChannelsByName.NO_CHANNEL, () -> osgi.actions(ANY));
    }

    @Test
    void durationsTakeCommonForms() {
        assertEquals(Duration.ofMillis(250), Timeout.parse("250ms"));
        assertEquals(Duration.ofSeconds(2), Timeout.parse("2s"));
        assertEquals(Duration.ofMinutes(1), Timeout.parse("1m"));
        assertEquals(Duration.ofSeconds(3), Timeout.parse("PT3S"));
    }

    @Test
    void gogoParsesTheOptionsInAnyOrderLongOrShort() throws Exception {
        long peerId = channels.primary().peers().get(0).id();
        try (Gogo gogo = new Gogo(commands)) {
            assertTrue(gogo.run("mp:request -c a -t 2s shell.echo hello there").contains("REPLIED  echo hello there"));
            assertTrue(gogo.run("mp:request -t 2s -p " + peerId + " -c a shell.echo x").contains("REPLIED  echo x"));
            assertTrue(gogo.run("mp:request --peer " + peerId + " --timeout 500ms --channel a shell.echo y")
                    .contains("REPLIED  echo y"));
            assertEquals("written to peer " + peerId + "\n", gogo.run("mp:send --peer " + peerId + " shell.note a 1.50 true"));
            assertEquals("a 1.50 true", received.poll(30, TimeUnit.SECONDS)); // the words as typed, not as numbers
            assertEquals(commands.status("a"), gogo.run("mp:status --channel a"));
            assertEquals(commands.peers("a"), gogo.run("mp:peers -c a"));
            assertEquals(commands.actions("a"), gogo.run("mp:actions --channel a"));
            // Gogo takes an option wherever it is on the line, also after the action
            assertTrue(gogo.run("mp:request shell.echo z -c a").contains("REPLIED  echo z\n"));
        }
    }

    @Test
    void gogoPassesAbsentOptionsAsTheirDefaults() throws Exception {
        try (Gogo gogo = new Gogo(commands)) {
            assertTrue(gogo.run("mp:request shell.echo hi").contains("REPLIED  echo hi"));
            assertEquals("written to 1 peer\n", gogo.run("mp:send shell.note hi"));
            assertEquals("hi", received.poll(30, TimeUnit.SECONDS));
            assertEquals(commands.status("a"), gogo.run("mp:status"));
        }
        try (Gogo gogo = new Gogo(twoChannels())) {
            assertTrue(gogo.run("mp:status").contains("name      b\n"));
            assertEquals(TWO + "\nusage: " + ChannelCommands.PEERS_USAGE, gogo.error("mp:peers"));
            assertEquals(TWO + "\nusage: " + ChannelCommands.REQUEST_USAGE, gogo.error("mp:request shell.echo hi"));
            assertTrue(gogo.run("mp:request -c b shell.echo hi").contains("REPLIED  b hi"));
        }
    }

    @Test
    void gogoPassesBadValuesToTheCommandsWhichNameThem() throws Exception {
        try (Gogo gogo = new Gogo(commands)) {
            assertEquals("timeout 'soon' is not a duration like 500ms, 2s or 1m\nusage: " + ChannelCommands.REQUEST_USAGE,
                    gogo.error("mp:request -t soon shell.echo"));
            assertEquals("peer id must be a number (see mp:peers), not 'x'\nusage: " + ChannelCommands.REQUEST_USAGE,
                    gogo.error("mp:request -p x shell.echo"));
            assertEquals("no action name given\nusage: " + ChannelCommands.SEND_USAGE, gogo.error("mp:send"));
            assertEquals("unknown option -t\nusage: " + ChannelCommands.SEND_USAGE, gogo.error("mp:send -t 1s shell.echo"));
            assertEquals("option -c given twice\nusage: " + ChannelCommands.SEND_USAGE,
                    gogo.error("mp:send -c a -c a shell.echo"));
            assertEquals("no channel named 'x'; the channels are: a (primary)\nusage: " + ChannelCommands.PEERS_USAGE,
                    gogo.error("mp:peers -c x"));
        }
    }

    /**
     * {@code --fd FILE} opens FILE read-only and passes its descriptor with the request: the secondary reads the file
     * through it; the command closes its own descriptor once the request is over (the action closed the one it got).
     */
    @Test
    void requestWithFdPassesTheDescriptorOfTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), "content of the passed file");
        channels.secondaries().get(0).actions().bind("shell.read", context -> {
            try (FileInputStream in = new FileInputStream(context.message().fileDescriptors().get(0))) { // closes the descriptor
                return Message.of("shell.read", context.message().fileDescriptors().size() + " fd: "
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }, false);
        try (Gogo gogo = new Gogo(commands)) {
            String out = gogo.run("mp:request --fd " + file + " shell.read");
            assertTrue(out.contains("REPLIED  1 fd: content of the passed file\n"), out);
            assertEquals(List.of(), openDescriptorsOf(file));
            out = gogo.run("mp:request -t 2s -f " + file + " shell.read");
            assertTrue(out.contains("REPLIED  1 fd: content of the passed file\n"), out);
            assertEquals(List.of(), openDescriptorsOf(file));
            Path missing = dir.resolve("missing.txt");
            assertEquals("--fd: cannot open " + missing + " (no such file)\nusage: " + ChannelCommands.REQUEST_USAGE,
                    gogo.error("mp:request --fd " + missing + " shell.read"));
            assertEquals("--fd: " + dir + " is not a regular file\nusage: " + ChannelCommands.REQUEST_USAGE,
                    gogo.error("mp:request --fd " + dir + " shell.read"));
        }
        assertEquals(2, channels.primary().status().actions().get("shell.read").fdsOut()); // the failed ones sent none
    }

    /** The descriptors of this process open on {@code file}. */
    private static List<Path> openDescriptorsOf(Path file) throws IOException {
        List<Path> open = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        open.add(fd);
                    }
                } catch (IOException closedMeanwhile) {
                    // the directory stream's own descriptor, or one closed while listing
                }
            }
        }
        return open;
    }

    /** A line that fits no method (an option without its value, an extra argument): Gogo says so itself. */
    @Test
    void gogoReportsALineThatFitsNoSignature() throws Exception {
        try (Gogo gogo = new Gogo(commands)) {
            assertEquals("Cannot coerce request(Token) to any of [(String, String, String, String, String[])]",
                    gogo.error("mp:request -t"));
            assertEquals("Cannot coerce peers(Token) to any of [(String)]", gogo.error("mp:peers --channel"));
            assertEquals("Cannot coerce peers(Token) to any of [(String)]", gogo.error("mp:peers x"));
            for (String line : new String[] {"mp:request -c", "mp:status -p 1", "mp:actions -t 1s"}) {
                assertTrue(gogo.error(line).startsWith("Cannot coerce "), line);
            }
        }
    }

    /** gogo.command's help reads the @Descriptor and @Parameter annotations, as in Felix's shell. */
    @Test
    void gogosHelpListsTheOptionsWithTheirDescriptions() throws Exception {
        try (Gogo gogo = new Gogo(commands)) {
            assertEquals(List.of(
                    "request - makes a request on a channel and prints the aggregated replies",
                    "   scope: mp",
                    "   options:",
                    "      -c, --channel   the channel, by name (see mp:status); default: the only one there is [optional]",
                    "      -f, --fd   a file to open read-only and pass its descriptor with the request (closed after);"
                            + " default: none [optional]",
                    "      -p, --peer   the peer, by id (see mp:peers); default: every peer [optional]",
                    "      -t, --timeout   how long to wait for the replies: 500ms, 2s, 1m or PT2S; default: 5s [optional]",
                    "   parameters:",
                    "      String[]   ACTION [PARAMS...]: the action name, then its parameters (joined with spaces)"),
                    gogo.run("help mp:request").lines().toList());
            String send = gogo.run("help mp:send");
            assertTrue(send.startsWith("send - sends a message on a channel, to every peer or to one"), send);
            assertTrue(send.contains("-c, --channel") && send.contains("-p, --peer") && send.contains("ACTION"), send);
            assertFalse(send.contains("--timeout"), send);
            for (String each : new String[] {"status", "peers", "actions"}) {
                String help = gogo.run("help mp:" + each);
                assertTrue(help.contains("      -c, --channel   the channel, by name"), help);
                assertFalse(help.contains("--peer") || help.contains("--timeout") || help.contains("parameters:"), help);
            }
        }
    }

    /**
     * A real Gogo: Felix's gogo.runtime CommandProcessor with the commands in scope mp (as its Activator adds a
     * service with osgi.command.scope=mp), and gogo.command's help, which finds them through a bundle context.
     */
    private static final class Gogo implements AutoCloseable {
        private static final String[] FUNCTIONS = {"status", "peers", "actions", "send", "request"};
        private final ThreadIOImpl threadIO = new ThreadIOImpl();
        private final CommandProcessorImpl processor;
        private final CommandSession session;

        Gogo(ChannelCommands commands) {
            threadIO.start();
            processor = new CommandProcessorImpl(threadIO);
            processor.addCommand("mp", commands);
            processor.addCommand("felix", new Basic(contextWith(commands)), "help");
            ByteArrayOutputStream ignored = new ByteArrayOutputStream();
            session = processor.createSession(new ByteArrayInputStream(new byte[0]), ignored, ignored);
        }

        /** What the line returns, as the shell would print it. */
        String run(String line) throws Exception {
            return String.valueOf(session.execute(line));
        }

        /** The message of the exception the line throws. */
        String error(String line) {
            return assertThrows(Exception.class, () -> session.execute(line), line).getMessage();
        }

        @Override
        public void close() {
            session.close();
            processor.stop();
            threadIO.stop();
        }

        /** A bundle context with one service, the commands, with the properties their @Component gives them. */
        private static BundleContext contextWith(ChannelCommands commands) {
            ServiceReference<?> reference = proxy(ServiceReference.class, (method, args) -> switch (String.valueOf(args[0])) {
                case "osgi.command.scope" -> "mp";
                case "osgi.command.function" -> FUNCTIONS.clone();
                default -> null;
            });
            return proxy(BundleContext.class, (method, args) -> switch (method) {
                case "getAllServiceReferences", "getServiceReferences" -> new ServiceReference<?>[] {reference};
                case "getService" -> commands;
                default -> null;
            });
        }

        private interface Answer {
            Object answer(String method, Object[] args);
        }

        private static <T> T proxy(Class<T> type, Answer answer) {
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
                switch (method.getName()) {
                    case "hashCode": return System.identityHashCode(self);
                    case "equals": return self == args[0];
                    case "toString": return type.getSimpleName();
                    default:
                        Object result = answer.answer(method.getName(), args);
                        return result == null && method.getReturnType() == boolean.class ? Boolean.FALSE : result;
                }
            }));
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
