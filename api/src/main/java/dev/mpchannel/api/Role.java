package dev.mpchannel.api;

/** The part a process plays on a channel. */
public enum Role {
    /** Listens on the channel's socket; there is one per channel. */
    PRIMARY,
    /** Connects to the primary; there may be any number. */
    SECONDARY
}
