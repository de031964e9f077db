package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.transport.channel.request.ReplySpin;
import java.time.Duration;

/**
 * How a channel saves hand-offs between threads, the largest cost of a round trip: the caller of a blocking request
 * spins this long for its reply before it sleeps ({@code request.spin.us}, see {@link ReplySpin}), and an action may
 * hold its peer's reading thread this long before the reading passes to another thread ({@code reader.handoff.us},
 * see {@link ReaderWatch}). Zero turns either off.
 */
public record Handoffs(Duration requestSpin, Duration reader) {
    /** The defaults: a 50 µs spin, a 10 ms hold. */
    public static final Handoffs DEFAULT = of(50, 10_000);

    /**
     * @throws IllegalArgumentException naming the configuration key that is negative
     */
    public static Handoffs of(long requestSpinMicros, long readerHandoffMicros) {
        return new Handoffs(micros("request.spin.us", requestSpinMicros), micros("reader.handoff.us",
                readerHandoffMicros));
    }

    private static Duration micros(String key, long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException(key + " must not be negative, not " + micros);
        }
        return Duration.ofNanos(micros * 1000);
    }
}
