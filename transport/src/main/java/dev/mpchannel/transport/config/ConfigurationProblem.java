package dev.mpchannel.transport.config;

/**
 * A channel configuration value that is not allowed: its message is one line, {@code key=value} and what is allowed,
 * without the channel's name (the caller, who knows the configuration, puts it in front). Expected, so it carries no
 * stack trace.
 */
public final class ConfigurationProblem extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message {@code key=value} and what is wrong, e.g. {@code max.fds=300 is out of range (allowed: 0..253)} */
    public ConfigurationProblem(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an operator's typo, not a bug: where in this code it was found helps nobody
    }
}
