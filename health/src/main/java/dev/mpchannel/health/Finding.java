package dev.mpchannel.health;

/** One line of a check's result, with the level it gives the result. */
record Finding(Health health, String text) {
}
