package dev.mpchannel.demo;

import dev.mpchannel.api.Message;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;

/**
 * Closes the descriptors a message brought. They belong to the action that received it, and every one left open
 * stays open in this process: a peer that sends descriptors in a loop would exhaust them. Each demo action calls
 * this in a {@code finally}, so that a failure closes them too.
 */
final class ReceivedDescriptors {
    private ReceivedDescriptors() {
    }

    /** Closes each of the message's descriptors still open; one that fails to close does not keep the rest open. */
    static void close(Message message) {
        for (FileDescriptor fd : message.fileDescriptors()) {
            if (fd.valid()) {
                try {
                    new FileInputStream(fd).close(); // the stream's close closes the descriptor itself
                } catch (IOException e) {
                    Console.say("could not close a received descriptor: " + e.getMessage());
                }
            }
        }
    }
}
