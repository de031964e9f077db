package dev.mpchannel.health;

/**
 * How healthy a channel is, worst last: the levels of Felix Health Checks this bundle uses, kept apart from the HC
 * API so that the verdict can be worked out (and tested) without it.
 */
enum Health {
    /** Listening, or connected. */
    OK,
    /** Working, but a secondary has no primary yet, or problems were counted since the previous check. */
    WARN,
    /** Not working: closed, or not running at all. */
    CRITICAL;

    Health worst(Health other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
