package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Tries a POSIX write lock ({@code lockf(LOCK_EX | LOCK_NB)}) on a file from another process (python3), as a second
 * primary in another JVM would: what that process gets is what the kernel says, whatever this JVM believes.
 */
public final class OtherProcessLock {
    private static final String SCRIPT = String.join("\n",
            "import fcntl, sys",
            "f = open(sys.argv[1], 'r+')",
            "try:",
            "    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
            "    print('locked')",
            "except OSError:",
            "    print('refused')");

    private OtherProcessLock() {
    }

    /** Whether another process can take a write lock on {@code file} now (it releases it at once by exiting). */
    public static boolean canLock(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("python3", "-c", SCRIPT, file.toString()).redirectErrorStream(true)
                .start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("python3 did not finish");
            }
            return switch (out) {
                case "locked" -> true;
                case "refused" -> false;
                default -> throw new AssertionError("python3 said: " + out);
            };
        } finally {
            process.destroyForcibly();
        }
    }
}
