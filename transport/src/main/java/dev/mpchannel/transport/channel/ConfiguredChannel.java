package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Channel;
import java.util.Optional;

/**
 * One configured channel, whether it runs or not: registered for each channel configuration (service properties: the
 * configuration's keys and {@code service.pid}), for monitoring such as health checks. A channel that does not run
 * says why.
 */
public interface ConfiguredChannel {
    /** The channel's name, its prefix. */
    String name();

    /** The channel, while its side runs. */
    Optional<Channel> channel();

    /** Why the channel does not run (waiting for its side's bundle, or its side failed to start); empty while it runs. */
    Optional<String> problem();
}
