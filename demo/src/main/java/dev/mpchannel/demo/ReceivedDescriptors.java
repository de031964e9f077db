package dev.mpchannel.demo;

import dev.mpchannel.api.Message;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;

/**
 * Closes the descriptors a reply brought. They belong to the requester, and every one left open stays open in this
 * process: a peer that answers with descriptors in a loop would exhaust them. (An action's descriptors are closed by
 * the channel unless the action takes them.)
 */
final class ReceivedDescriptors {
    private ReceivedDescriptors() {
    }

    /** Closes each of the reply's descriptors still open; one that fails to close does not keep the rest open. */
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
