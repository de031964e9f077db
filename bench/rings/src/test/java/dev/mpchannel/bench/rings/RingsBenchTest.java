package dev.mpchannel.bench.rings;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole run with tiny counts: every workload runs and reports a row; no time is asserted. */
class RingsBenchTest {
    @Test
    void everyWorkloadReportsARow() throws Exception {
        List<String> lines = RingsBench.run(RingsBench.Settings.parse(
                new String[] {"--rounds", "200", "--records", "20000", "--large", "4", "--repeats", "1"}));
        String table = String.join("\n", lines);
        for (String row : List.of("Aeron IPC (busy spin)", "ring pair, BUSY_SPIN", "ring pair, YIELD", "ring pair, PARK",
                "JDK AF_UNIX socket", "ring, PARK", "one memcpy",
                "ring, busy spin, reader copies each record out")) {
            assertTrue(table.contains("| " + row), row + " in\n" + table);
        }
    }
}
