package dev.mpchannel.transport.channel;

import java.util.Optional;

/**
 * How a channel's side tells its launcher that it could not start (its socket directory cannot be created, another
 * primary holds the lock): the side's component activates all the same and keeps the failure, so that Declarative
 * Services does not log an operator's mistake as a stack trace; the launcher asks, logs one line and disposes the
 * side.
 */
public interface SideStart {
    /** Why the side did not start, or empty if it runs. */
    Optional<Exception> startFailure();
}
