package dev.mpchannel.bench.harness.readers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A short run: every round is echoed by every reader, and the report has a row per variant this JVM has. */
class ReadersBenchTest {
    @Test
    void everyVariantEchoesEveryRound() throws Exception {
        String report = ReadersBench.report(20, 1, 3);
        assertTrue(report.contains("| platform thread each |"), report);
        assertTrue(report.contains(VirtualThreads.available() ? "| virtual thread each |" : "No virtual row"), report);
    }
}
