package dev.mpchannel.api;

/**
 * The part a process plays on a channel:
 * <pre>{@code
 * if (channel.role() == Role.PRIMARY) {
 *     channel.send(Message.of("config.changed"));   // to every secondary
 * }
 * }</pre>
 */
public enum Role {
    /** Listens on the channel's socket; there is one per channel. */
    PRIMARY,
    /** Connects to the primary; there may be any number. */
    SECONDARY
}
