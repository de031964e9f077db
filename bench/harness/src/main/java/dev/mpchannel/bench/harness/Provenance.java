package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the figures come from, for the report's header and notes: the code measured, the machine, and how busy it
 * was (other processes make the figures noisier).
 */
public final class Provenance {
    private Provenance() {
    }

    /** The commit measured, and the files changed in the work tree outside bench/ (they were measured too). */
    static String commit() {
        try {
            String head = git("rev-parse", "--short", "HEAD").trim();
            List<String> changed = git("status", "--porcelain", "--untracked-files=no").lines()
                    .map(l -> l.substring(3)).filter(f -> !f.startsWith("bench/") && !f.equals("pom.xml")).toList();
            return head + (changed.isEmpty() ? "" : " with uncommitted changes to " + String.join(", ", changed));
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (git.waitFor() != 0) {
            throw new IOException("git " + String.join(" ", args) + ": " + out.trim());
        }
        return out;
    }

    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    public static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException ignored) {
            // not Linux
        }
        String os = System.getProperty("os.name");
        long memKiB = 0;
        try {
            os = Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .findFirst().map(l -> l.substring(12).replace("\"", "")).orElse(os);
            memKiB = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException ignored) {
            // not Linux
        }
        return os + ", kernel " + System.getProperty("os.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " vCPUs (" + cpu + "), "
                + (memKiB >> 20) + " GiB RAM";
    }
}
