package dev.mpchannel.rings.internal;

import dev.mpchannel.rings.RingStatus;
import dev.mpchannel.rings.Rings;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The shell command {@code mp:rings}: the open ring pairs and their counters, one line per ring. A plain service with
 * Gogo's command properties (as the shell module's commands), so the rings bundle needs nothing of Gogo and the
 * shell module nothing of the rings; the command is there wherever both are installed.
 */
@Component(service = RingCommand.class, property = {"osgi.command.scope=mp", "osgi.command.function=rings"})
public final class RingCommand {
    private static final String HEADER = "%-16s %-16s %8s %-6s %-4s %10s %14s %16s %10s %10s%n";
    private static final String LINE = "%-16s %-16s %8d %-6s %-4s %10d %14d %16d %10d %10d%n";

    @Reference
    private Rings rings;

    /** Lists the open ring pairs of every channel. */
    public String rings() {
        return format(rings.status());
    }

    static String format(List<RingStatus> pairs) {
        if (pairs.isEmpty()) {
            return "no ring pairs open";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, HEADER, "channel", "pair", "peer pid",
                "opened", "ring", "capacity", "records", "bytes", "parks/full", "wake-ups"));
        for (RingStatus pair : pairs) {
            line(out, pair, "out", pair.out());
            line(out, pair, "in", pair.in());
        }
        return out.toString();
    }

    private static void line(StringBuilder out, RingStatus pair, String way, RingStatus.Counters counters) {
        if (counters != null) {
            out.append(String.format(Locale.ROOT, LINE, pair.channel(), pair.name(), pair.peerPid(),
                    pair.opener() ? "here" : "peer", way, counters.capacity(), counters.records(), counters.bytes(),
                    counters.parks(), counters.wakeUps()));
        }
    }
}
