package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;

/**
 * {@code bench.fd}: closes the descriptors that came with the request (they belong to the action) and answers with
 * the same parameters and one descriptor of its own, a fresh {@code /dev/null}, which the channel closes once the
 * reply is written. The C and junixsocket baselines do exactly the same per round trip.
 */
@Component(service = Action.class)
@ActionName(FdEchoAction.NAME)
public final class FdEchoAction implements Action {
    public static final String NAME = "bench.fd";

    @Override
    public Message handle(ActionContext context) throws IOException {
        Message request = context.message();
        for (FileDescriptor fd : request.fileDescriptors()) {
            close(fd);
        }
        @SuppressWarnings("resource") // the channel closes the reply's descriptor once written
        FileInputStream reply = new FileInputStream("/dev/null");
        return request.withFileDescriptors(reply.getFD());
    }

    /** The JDK's way to close a bare descriptor: a stream on it closes it (and marks it invalid). */
    static void close(FileDescriptor fd) {
        if (fd.valid()) {
            try (FileInputStream owner = new FileInputStream(fd)) {
                // only to close fd
            } catch (IOException ignored) {
                // unusable either way
            }
        }
    }
}
