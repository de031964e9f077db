package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the processes a run starts: each under {@code taskset -c CPU} in the pinned pass, a JVM on
 * the harness's class path, or a Felix JVM from the bench's executable jar.
 */
public final class CommandLines {
    /** The channel prefix of every mpchannel process of a run. */
    static final String PREFIX = "bench";

    private final String cpu;
    private final String javaBin;
    private final String classpath;
    private final Path benchJar;
    private final Path tmp;

    public CommandLines(String cpu, String javaBin, String classpath, Path benchJar, Path tmp) {
        this.cpu = cpu;
        this.javaBin = javaBin;
        this.classpath = classpath;
        this.benchJar = benchJar;
        this.tmp = tmp;
    }

    Path benchJar() {
        return benchJar;
    }

    /** The core of the pinned pass. */
    String cpu() {
        return cpu;
    }

    /** The prefix that pins a process in the pinned pass; nothing otherwise. */
    List<String> pin(String pass) {
        return pass.equals("pinned") ? List.of("taskset", "-c", cpu) : List.of();
    }

    /** A JVM running {@code main} of the harness. */
    public List<String> java(String pass, List<String> jvmOptions, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>(pin(pass));
        command.add(javaBin);
        // native libraries (junixsocket's, Netty's epoll) are unpacked into java.io.tmpdir: keep them in the work dir
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(jvmOptions); // a -Djava.io.tmpdir here wins: the last one counts
        command.addAll(List.of("-cp", classpath, main.getName()));
        command.addAll(args);
        return command;
    }

    /** A Felix JVM from the bench's executable jar, configured through mpbench.* system properties. */
    List<String> felix(String pass, Path dir, String role, Path sockets, List<String> extra) throws IOException {
        List<String> command = new ArrayList<>(pin(pass));
        command.addAll(List.of(javaBin,
                "-Dorg.osgi.framework.storage=" + dir.resolve("felix-cache"),
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-Dmpbench.role=" + role,
                "-Dmpbench.prefix=" + PREFIX,
                "-Dmpbench.socket.dir=" + sockets));
        command.addAll(extra);
        command.addAll(List.of("-jar", benchJar.toString()));
        return command;
    }
}
