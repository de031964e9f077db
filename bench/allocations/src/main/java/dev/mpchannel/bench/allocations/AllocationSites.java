package dev.mpchannel.bench.allocations;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * JFR's allocation samples of one recording, grouped by site: the class allocated and the mpchannel method that
 * allocated it (the first mpchannel frame from the top of the stack: an {@code ArrayList}'s array is charged to
 * whoever made the list). A sample's weight is JFR's estimate of the bytes allocated since the thread's previous
 * sample, so the weights of a site add up to its share of what was allocated.
 */
final class AllocationSites {
    /** One site's estimated bytes. */
    record Site(String allocated, String where, long bytes) {
    }

    private final Map<String, Site> sites = new HashMap<>();
    private long total;

    /**
     * The samples of {@code recording} taken from {@code from} on. The recording started earlier: a sample's weight
     * is what its thread allocated since its previous sample, so a thread's first sample after the recording started
     * would weigh everything before.
     */
    static AllocationSites read(Path recording, Instant from) throws IOException {
        AllocationSites sites = new AllocationSites();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("jdk.ObjectAllocationSample")
                    && !event.getStartTime().isBefore(from)) {
                sites.add(event.getClass("objectClass").getName(), where(event.getStackTrace()),
                        event.getLong("weight"));
            }
        }
        return sites;
    }

    private void add(String allocated, String where, long bytes) {
        total += bytes;
        sites.merge(allocated + " " + where, new Site(allocated, where, bytes),
                (a, b) -> new Site(a.allocated(), a.where(), a.bytes() + b.bytes()));
    }

    private static String where(RecordedStackTrace stack) {
        if (stack == null) {
            return "(no stack)";
        }
        List<RecordedFrame> frames = stack.getFrames();
        for (RecordedFrame frame : frames) {
            if (frame.isJavaFrame() && frame.getMethod().getType().getName().startsWith("dev.mpchannel.")) {
                String type = frame.getMethod().getType().getName();
                return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
            }
        }
        RecordedFrame top = frames.isEmpty() ? null : frames.get(0);
        return top == null ? "(no frame)" : "(outside mpchannel) " + top.getMethod().getType().getName() + "."
                + top.getMethod().getName();
    }

    long total() {
        return total;
    }

    /** The largest sites first, at most {@code most}. */
    List<Site> largest(int most) {
        return sites.values().stream().sorted((a, b) -> Long.compare(b.bytes(), a.bytes())).limit(most).toList();
    }
}
