package dev.mpchannel.api;

/**
 * Counters of what crossed the channel, for one peer or one action, since the channel started.
 *
 * @param messagesIn  frames received (messages, requests and answers)
 * @param messagesOut frames written
 * @param bytesIn     bytes of those frames received, headers included
 * @param bytesOut    bytes of those frames written, headers included
 * @param fdsIn       file descriptors received
 * @param fdsOut      file descriptors sent
 * @param errors      failures: writes that failed, protocol errors, actions that failed
 * @param ignored     requests answered "ignored" (no such action, or not on the whitelist)
 * @param timeouts    requests that got no answer before their timeout
 */
public record Traffic(long messagesIn, long messagesOut, long bytesIn, long bytesOut, long fdsIn, long fdsOut,
        long errors, long ignored, long timeouts) {
    /** No traffic at all. */
    public static final Traffic NONE = new Traffic(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
