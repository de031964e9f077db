package dev.mpchannel.bench.rings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** C's AF_UNIX stream round trip between two processes (src/main/c/unix_pingpong.c, built by bench.sh). */
final class CPingPong {
    private CPingPong() {
    }

    /** The mean round trip in nanoseconds. */
    static double meanRoundTrip(Path binary, int rounds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), String.valueOf(rounds)).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            RingsBench.check(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0,
                    binary + " failed: " + out);
            return Double.parseDouble(out);
        } finally {
            process.destroyForcibly();
        }
    }
}
