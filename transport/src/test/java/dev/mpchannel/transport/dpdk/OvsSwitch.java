package dev.mpchannel.transport.dpdk;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mpchannel.transport.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Open vSwitch with DPDK (Debian's {@code openvswitch-switch-dpdk}, linked against DPDK 22.11): its own
 * database, {@code ovsdb-server} and {@code ovs-vswitchd-dpdk} in a directory of the test's, DPDK with no hugepages
 * under a file prefix of its own, and one netdev bridge. Run by root, the switch gets a network namespace of its own,
 * so the bridge's tap device never reaches the host, even if the switch is killed. {@link #close()} stops both
 * processes and removes DPDK's runtime directory, whatever happened before.
 */
final class OvsSwitch implements AutoCloseable {
    /** Where Debian's package puts the DPDK build of ovs-vswitchd (the alternative {@code ovs-vswitchd} points to). */
    static final Path VSWITCHD = Path.of("/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk");
    /** Set by CI, where the package is installed: a missing Open vSwitch then fails the tests instead of skipping. */
    static final boolean REQUIRED = Boolean.getBoolean("ovs.required") || DpdkPrimaryProcess.REQUIRED;
    private static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    /** A guard, as for the DPDK primary: a process outliving a killed test JVM is killed after this. */
    private static final String GUARD_SECONDS = "300";

    private final Path dir;
    private final String filePrefix;
    private final String bridge;
    private final List<Process> processes = new ArrayList<>();

    private OvsSwitch(Path dir, String filePrefix, String bridge) {
        this.dir = dir;
        this.filePrefix = filePrefix;
        this.bridge = bridge;
    }

    /** Skips the calling test without the package, or fails it when Open vSwitch (or all of DPDK) is required. */
    static void assumeInstalled() {
        boolean present = Files.isExecutable(VSWITCHD) && Files.isReadable(SCHEMA);
        String install = "apt-get install openvswitch-switch-dpdk";
        if (REQUIRED) {
            assertTrue(present, "Open vSwitch with DPDK is not installed (" + install + ")");
        }
        assumeTrue(present, "Open vSwitch tests skipped: no " + VSWITCHD + " (" + install + ")");
    }

    /**
     * Starts the database and the switch in {@code dir}, DPDK under {@code --file-prefix=filePrefix}, and adds the
     * netdev bridge {@code bridge} (at most 15 characters: a device name). Returns once DPDK is initialized.
     */
    static OvsSwitch start(Path dir, String filePrefix, String bridge) throws Exception {
        OvsSwitch ovs = new OvsSwitch(Files.createDirectories(dir), filePrefix, bridge);
        try {
            ovs.startDatabase();
            ovs.startSwitch();
            ovs.vsctl("add-br", bridge, "--", "set", "Bridge", bridge, "datapath_type=netdev");
            return ovs;
        } catch (Exception | AssertionError e) {
            ovs.close();
            throw e;
        }
    }

    private void startDatabase() throws Exception {
        run(List.of("ovsdb-tool", "create", dir.resolve("conf.db").toString(), SCHEMA.toString()));
        processes.add(daemon(List.of("ovsdb-server", dir.resolve("conf.db").toString(),
                "--remote=punix:" + dir.resolve("db.sock"), "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
                "--log-file=" + dir.resolve("ovsdb-server.log"), "-vconsole:off"), "ovsdb-server"));
        Await.until("ovsdb-server listens on " + dir.resolve("db.sock"),
                () -> Files.exists(dir.resolve("db.sock")) || !processes.get(0).isAlive());
        assertTrue(processes.get(0).isAlive(), "ovsdb-server exited:\n" + log("ovsdb-server"));
        // OVS adds --in-memory to DPDK's arguments unless they hold --legacy-mem, and --in-memory turns DPDK's
        // multi-process channel off: no mp_socket, nothing to join. --no-huge (no hugepages here) needs it too.
        // No dpdk-socket-mem: DPDK refuses --socket-mem with --no-huge.
        // --retry: the socket file may be there a moment before ovsdb-server listens on it
        vsctl("--no-wait", "--retry", "init", "--", "set", "Open_vSwitch", ".", "other_config:dpdk-init=true",
                "other_config:dpdk-extra=\"--legacy-mem --no-huge -m 128 --no-pci -l 0 --file-prefix=" + filePrefix
                        + "\"",
                // the poll-mode thread sleeps when its queues are idle instead of spinning a core
                "other_config:pmd-maxsleep=10000");
    }

    private void startSwitch() throws Exception {
        List<String> command = new ArrayList<>();
        if (DpdkPrimaryProcess.uid() == 0) {
            // root creates the bridge's tap device; in a namespace of its own it goes away with the switch.
            // DPDK's sockets are files, not abstract names: the Java side reaches them from any namespace.
            command.addAll(List.of("unshare", "--net", "--"));
        }
        command.addAll(List.of(VSWITCHD.toString(), "unix:" + dir.resolve("db.sock"),
                "--unixctl=" + dir.resolve("ovs-vswitchd.ctl"), "--log-file=" + dir.resolve("ovs-vswitchd.log"),
                "-vconsole:off"));
        Process vswitchd = daemon(command, "ovs-vswitchd");
        processes.add(vswitchd);
        Await.until("ovs-vswitchd-dpdk initialized DPDK",
                () -> !vswitchd.isAlive() || "true".equals(get("Open_vSwitch", ".", "dpdk_initialized")));
        assertTrue(vswitchd.isAlive(), "ovs-vswitchd-dpdk exited:\n" + log("ovs-vswitchd"));
    }

    /** The DPDK runtime directory's path, as the Java secondary derives it. */
    DpdkPaths dpdkPaths() throws IOException {
        return DpdkPaths.of("", filePrefix, DpdkPrimaryProcess.uid());
    }

    /** ovs-vswitchd-dpdk's pid: the DPDK primary. */
    long vswitchdPid() {
        return processes.get(1).descendants().findFirst().orElseThrow().pid();
    }

    /**
     * Adds a DPDK port to the bridge and waits until ovs-vswitchd has applied it (ovs-vsctl waits), whether or not
     * it succeeded: the Interface's {@code error} column says.
     */
    Outcome addDpdkPort(String port, String devargs) throws Exception {
        return ovsVsctl("add-port", bridge, port, "--", "set", "Interface", port, "type=dpdk",
                "options:dpdk-devargs=" + devargs);
    }

    /** Deletes a port and waits until ovs-vswitchd has applied it. */
    Outcome deletePort(String port) throws Exception {
        return ovsVsctl("del-port", bridge, port);
    }

    /** A column of a record ({@code ovs-vsctl get}), or null if there is no such record. */
    String get(String table, String record, String column) throws Exception {
        Outcome got = ovsVsctl("--no-wait", "get", table, record, column);
        return got.exit() == 0 ? got.output().strip() : null;
    }

    /** The lines of ovs-vswitchd's log. */
    List<String> vswitchdLog() throws IOException {
        return Files.readAllLines(dir.resolve("ovs-vswitchd.log"));
    }

    /** What an ovs-vsctl command printed and how it exited. */
    record Outcome(int exit, String output) {
    }

    private void vsctl(String... args) throws Exception {
        Outcome outcome = ovsVsctl(args);
        assertTrue(outcome.exit() == 0, "ovs-vsctl " + String.join(" ", args) + " failed: " + outcome.output()
                + "\novs-vswitchd's log:\n" + log("ovs-vswitchd"));
    }

    private Outcome ovsVsctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"),
                "--timeout=30"));
        command.addAll(List.of(args));
        return run(command);
    }

    private Outcome run(List<String> command) throws Exception {
        Process process = builder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within 60 s");
        }
        return new Outcome(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }

    private Process daemon(List<String> command, String name) throws IOException {
        List<String> guarded = new ArrayList<>(List.of("timeout", "-s", "KILL", GUARD_SECONDS));
        guarded.addAll(command);
        return builder(guarded).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile())).start();
    }

    /** Every OVS file (pid files, control sockets, the default database) in the test's directory, never the host's. */
    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        for (String variable : List.of("OVS_RUNDIR", "OVS_DBDIR", "OVS_LOGDIR", "OVS_SYSCONFDIR")) {
            env.put(variable, dir.toString());
        }
        return builder;
    }

    /** The daemon's log, then the last lines it printed (DPDK prints its whole usage before a fatal error). */
    private String log(String name) {
        StringBuilder text = new StringBuilder();
        try {
            text.append(Files.readString(dir.resolve(name + ".log")));
            List<String> printed = Files.readAllLines(dir.resolve(name + ".out"));
            printed.subList(Math.max(0, printed.size() - 3), printed.size())
                    .forEach(line -> text.append(line).append('\n'));
        } catch (IOException e) {
            text.append("(").append(e).append(")\n");
        }
        return text.toString();
    }

    /** Stops the switch, then the database (SIGTERM, then SIGKILL after 10 s), and removes DPDK's directory. */
    @Override
    public void close() throws Exception {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.descendants().forEach(ProcessHandle::destroy);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        Path runtime = dpdkPaths().directory();
        if (Files.exists(runtime)) {
            try (Stream<Path> files = Files.walk(runtime)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
