package dev.mpchannel.transport.channel.action;

import dev.mpchannel.api.Traffic;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Traffic by action name. The names come from peers, so the table is bounded: past {@value #MAX_NAMES} names,
 * the rest are counted together under {@value #OTHER}.
 */
public final class ActionTraffic {
    static final int MAX_NAMES = 1024;
    static final String OTHER = "(other)";

    private final Map<String, TrafficCounter> byName = new ConcurrentHashMap<>();

    public TrafficCounter of(String action) {
        TrafficCounter counter = byName.get(action);
        if (counter != null) {
            return counter;
        }
        return byName.computeIfAbsent(byName.size() < MAX_NAMES ? action : OTHER, name -> new TrafficCounter());
    }

    public Map<String, Traffic> snapshot() {
        Map<String, Traffic> snapshot = new TreeMap<>();
        byName.forEach((name, counter) -> snapshot.put(name, counter.snapshot()));
        return snapshot;
    }
}
