package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.peer.PeerPolicy;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access control against a real second user: a process running as another uid (created here with useradd, started
 * with runuser) connects and sends a frame. Needs root, as on CI; reported as skipped elsewhere. A user or group this
 * run created is removed afterwards.
 */
class AccessControlTest {
    private static final String USER = "mpchannel-test";
    private static final String GROUP = "mpchannel-test-g";
    private static long otherUid;
    private static long groupId;
    private static boolean createdUser;
    private static boolean createdGroup;
    /** A JVM keeps its perf data in /tmp/hsperfdata_<user>, whatever java.io.tmpdir says: the clients keep none. */
    private static final Path PERF_DATA = Path.of("/tmp", "hsperfdata_" + USER);
    private static boolean perfDataBefore;

    private Path dir;
    private Path client;
    private final BlockingQueue<Peer> greeted = new LinkedBlockingQueue<>();

    @BeforeAll
    static void createUser() throws Exception {
        assumeTrue(PeerPolicy.currentUid() == 0, "access-control tests skipped: they need root, to create a second "
                + "user and run a process as it (this run's uid is " + PeerPolicy.currentUid() + ")");
        assumeTrue(Stream.of("useradd", "groupadd", "runuser")
                        .allMatch(tool -> Files.isExecutable(Path.of("/usr/sbin", tool))),
                "access-control tests skipped: they need /usr/sbin/useradd, groupadd and runuser");
        if (run("id", "-u", USER).exitValue() != 0) {
            assertEquals(0, run("/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER)
                    .exitValue());
            createdUser = true;
        }
        otherUid = Long.parseLong(output(run("id", "-u", USER)).strip());
        if (run("getent", "group", GROUP).exitValue() != 0) {
            assertEquals(0, run("/usr/sbin/groupadd", "--system", GROUP).exitValue());
            createdGroup = true;
        }
        groupId = Long.parseLong(output(run("getent", "group", GROUP)).split(":")[2].strip());
        perfDataBefore = Files.exists(PERF_DATA, LinkOption.NOFOLLOW_LINKS);
    }

    /** Removes the user and group if this run created them; one that was there before is someone else's. */
    @AfterAll
    static void removeUser() throws Exception {
        if (createdUser) {
            // userdel refuses while a process runs as the user: a client killed through runuser may outlive it briefly
            Await.until("no process left running as " + USER, () -> ProcessHandle.allProcesses()
                    .noneMatch(p -> p.info().user().filter(USER::equals).isPresent()));
            assertEquals(0, run("/usr/sbin/userdel", USER).exitValue(), "userdel " + USER);
            createdUser = false;
        }
        if (createdGroup) {
            assertEquals(0, run("/usr/sbin/groupdel", GROUP).exitValue(), "groupdel " + GROUP);
            createdGroup = false;
        }
        if (!perfDataBefore && Files.exists(PERF_DATA, LinkOption.NOFOLLOW_LINKS)) {
            // left by a client of this run: removed, then reported
            try (Stream<Path> all = Files.walk(PERF_DATA)) {
                all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            throw new AssertionError("the other user's JVM left " + PERF_DATA + " behind (removed now)");
        }
    }

    @BeforeEach
    void writeClient() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "mpchannel-access-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The client speaks the wire format with the JDK alone: one message frame for test.hello, then waits for EOF.
        byte[] frame = FrameCodec.encode(Frame.message(Message.of("test.hello", "from another user")));
        StringBuilder bytes = new StringBuilder();
        for (byte b : frame) {
            bytes.append(b).append(',');
        }
        client = Files.writeString(dir.resolve("Client.java"), String.join("\n",
                "import java.net.UnixDomainSocketAddress;",
                "import java.nio.ByteBuffer;",
                "import java.nio.channels.SocketChannel;",
                "public class Client {",
                "  public static void main(String[] a) throws Exception {",
                "    SocketChannel s;",
                "    try { s = SocketChannel.open(UnixDomainSocketAddress.of(a[0])); }",
                "    catch (java.io.IOException e) { System.out.println(\"cannot connect: \" + e.getMessage()); return; }",
                "    try { s.write(ByteBuffer.wrap(new byte[] {" + bytes + "})); } catch (java.io.IOException e) { }",
                "    try { while (s.read(ByteBuffer.allocate(64)) >= 0) { } } catch (java.io.IOException e) { }",
                "    System.out.println(\"closed\");",
                "  }",
                "}"));
    }

    @AfterEach
    void removeDir() throws IOException {
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void byDefaultTheSocketIsOutOfAnotherUsersReach() throws Exception {
        try (LocalChannels channels = LocalChannels.start(dir.resolve("run"), "test.*")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("run"))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(channels.paths().socket())));
            String out = connectAsOtherUser(channels);
            assertTrue(out.startsWith("cannot connect"), out);
        }
    }

    @Test
    void anotherUserIsRefusedOnItsCredentialsBeforeAnythingIsRead() throws Exception {
        try (LocalChannels channels = LocalChannels.start(dir.resolve("run"), "test.*")) {
            openToEveryone(channels);
            channels.primary().actions().bind("test.hello", context -> {
                greeted.add(context.peer());
                return null;
            }, false);
            assertEquals("closed", connectAsOtherUser(channels).strip(), "the primary hung up on it");
            assertEquals(0, channels.primary().peers().size());
            // its frame was never read: a same-user peer's message still arrives, the other's never did
            channels.connectSecondary().send(Message.of("test.hello"));
            assertEquals(PeerPolicy.currentUid(), greeted.poll(30, TimeUnit.SECONDS).uid());
            assertTrue(greeted.isEmpty());
        }
    }

    @Test
    void anotherUserAllowedByUidIsServed() throws Exception {
        PeerPolicy policy = new PeerPolicy(PeerPolicy.currentUid(), Set.of(otherUid), Set.of());
        try (LocalChannels channels = LocalChannels.start(dir.resolve("run"), policy, "test.*")) {
            openToEveryone(channels);
            channels.primary().actions().bind("test.hello", context -> {
                greeted.add(context.peer());
                return null;
            }, false);
            Process client = startClientAsOtherUser(channels);
            Peer peer = greeted.poll(30, TimeUnit.SECONDS);
            client.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertEquals(otherUid, peer.uid());
        }
    }

    @Test
    void aGroupGivenSocketAccessAndAllowedByGidIsServed() throws Exception {
        PeerPolicy policy = new PeerPolicy(PeerPolicy.currentUid(), Set.of(), Set.of(groupId));
        try (LocalChannels channels = LocalChannels.start(dir.resolve("run"),
                new dev.mpchannel.transport.socket.SocketAccess(GROUP), policy, "test.*")) {
            assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("run"))));
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(channels.paths().socket())));
            assertEquals(GROUP, Files.getAttribute(channels.paths().socket(), "posix:group").toString());
            channels.primary().actions().bind("test.hello", context -> {
                greeted.add(context.peer());
                return null;
            }, false);
            // the other user, with the group as its primary group: the file system lets it in, and so does its gid
            Process process = new ProcessBuilder("/usr/sbin/runuser", "-u", USER, "-g", GROUP, "--",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:-UsePerfData", "-Djava.io.tmpdir=" + dir, client.toString(),
                    channels.paths().socket().toString())
                    .redirectErrorStream(true).start();
            Peer peer = greeted.poll(30, TimeUnit.SECONDS);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertEquals(otherUid, peer.uid());
            assertEquals(groupId, peer.gid());
        }
    }

    /** The file system would stop the other user first; open it so that the credentials check is what is tested. */
    private static void openToEveryone(LocalChannels channels) throws IOException {
        Files.setPosixFilePermissions(channels.paths().directory(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(channels.paths().socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
    }

    private String connectAsOtherUser(LocalChannels channels) throws Exception {
        Process process = startClientAsOtherUser(channels);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the client did not finish");
        return output(process);
    }

    private Process startClientAsOtherUser(LocalChannels channels) throws IOException {
        return new ProcessBuilder("/usr/sbin/runuser", "-u", USER, "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-Djava.io.tmpdir=" + dir, client.toString(),
                channels.paths().socket().toString())
                .redirectErrorStream(true).start();
    }

    private static Process run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.waitFor(60, TimeUnit.SECONDS);
        return process;
    }

    private static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
