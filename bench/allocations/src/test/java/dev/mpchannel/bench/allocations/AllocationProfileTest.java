package dev.mpchannel.bench.allocations;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A short run of the profile: every workload measured, each with a positive count and sites charged to it. */
class AllocationProfileTest {
    @Test
    void everyWorkloadIsMeasuredAndHasSites() throws Exception {
        String report = AllocationProfile.run(2_000);
        for (String workload : new String[] {"one send at a time", "request, ordinary action",
                "request, inline action", "sendAll, 32 a call"}) {
            Matcher section = Pattern.compile("### " + Pattern.quote(workload)
                    + "\\n\\n\\*\\*([\\d,]+) bytes a message\\*\\* \\(exact\\)[^\\n]*\\n\\n\\| allocated \\| by \\|[^\\n]*\\n\\|---[^\\n]*\\n\\| ")
                    .matcher(report);
            assertTrue(section.find(), () -> workload + " is missing or has no site in:\n" + report);
            assertTrue(Long.parseLong(section.group(1).replace(",", "")) > 0, () -> workload + ": nothing counted");
        }
    }
}
