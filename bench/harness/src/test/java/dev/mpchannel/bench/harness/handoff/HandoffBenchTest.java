package dev.mpchannel.bench.harness.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-off benchmark, tiny counts, both passes: real JVMs and sockets; asserts completion, never timings. */
class HandoffBenchTest {
    private static final int ROUNDS = 300;

    @Test
    void everyVariantCompletesItsRoundTripsAndHasItsRow() throws Exception {
        HandoffBench bench = new HandoffBench(List.of("unpinned", "pinned"), "0", 100, ROUNDS);
        List<HandoffBench.Row> rows = bench.run(Path.of("target", "handoff-test"));

        assertEquals(2 * HandoffVariant.values().length, rows.size());
        String markdown = bench.markdown(rows);
        for (String pass : List.of("unpinned", "pinned")) {
            for (HandoffVariant variant : HandoffVariant.values()) {
                HandoffBench.Row row = rows.stream().filter(r -> r.pass().equals(pass) && r.variant() == variant)
                        .findFirst().orElseThrow(() -> new AssertionError("no row " + pass + " " + variant.label));
                assertEquals(ROUNDS, row.result().samples(), pass + " " + variant.label);
                assertEquals(ROUNDS, row.result().switches().ops(), pass + " " + variant.label);
                assertTrue(markdown.contains("| " + pass + " | " + variant.label + " | "), markdown);
            }
        }
        // the leader/follower caller says how many replies it read itself: all of them, or some handed over
        assertTrue(rows.stream().filter(r -> r.variant().label.startsWith("leader-follower"))
                .allMatch(r -> r.note().matches("the caller read \\d+ of " + (100 + ROUNDS) + " replies itself.*")),
                markdown);
        // the sticky leader says how its caller got each reply (the three add up) and that no frame came unasked
        Pattern sticky = Pattern.compile("the caller read (\\d+) of " + (100 + ROUNDS) + " replies while it kept the "
                + "reading, (\\d+) after the reader stood aside, the reader handed over (\\d+); .*; 0 frames no "
                + "request waited for.*");
        List<HandoffBench.Row> stickyRows = rows.stream().filter(r -> r.variant().graceNanos > 0).toList();
        assertTrue(stickyRows.size() >= 2, markdown);
        for (HandoffBench.Row row : stickyRows) {
            Matcher m = sticky.matcher(row.note());
            assertTrue(m.matches(), row.pass() + " " + row.variant().label + ": " + row.note());
            assertEquals(100 + ROUNDS, Long.parseLong(m.group(1)) + Long.parseLong(m.group(2))
                    + Long.parseLong(m.group(3)), row.note());
        }
    }
}
