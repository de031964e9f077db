package dev.mpchannel.demo;

/**
 * The demo's narrative. It prints to standard output on purpose: it is what a person running {@code ./demo.sh}
 * reads, apart from the runtime's log (standard error).
 */
final class Console {
    private Console() {
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
