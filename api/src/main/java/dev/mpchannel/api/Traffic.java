package dev.mpchannel.api;

/**
 * Counters of what crossed the channel, for one peer or one action, since the channel started:
 * <pre>{@code
 * Traffic echo = channel.status().actions().get("demo.echo");
 * System.out.println(echo.messagesIn() + " in, " + echo.errors() + " errors, " + echo.timeouts() + " timeouts");
 * }</pre>
 *
 * @since 2.0
 */
@org.osgi.annotation.versioning.ProviderType
public interface Traffic {
    /** Frames received (messages, requests and answers). */
    long messagesIn();

    /** Frames written. */
    long messagesOut();

    /** Bytes of the frames received, headers included. */
    long bytesIn();

    /** Bytes of the frames written, headers included. */
    long bytesOut();

    /** File descriptors received. */
    long fdsIn();

    /** File descriptors sent. */
    long fdsOut();

    /** Failures: writes that failed, protocol errors, actions that failed. */
    long errors();

    /** Requests answered "ignored" (no such action, or not on the whitelist). */
    long ignored();

    /** Requests that got no answer before their timeout. */
    long timeouts();
}
