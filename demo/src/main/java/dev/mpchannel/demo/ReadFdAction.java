package dev.mpchannel.demo;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import dev.mpchannel.transport.text.Printable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Component;

/**
 * {@code demo.read-fd}: reads the file behind the descriptor that came with the request and answers with what it
 * read. It reads from offset 0 without moving the descriptor's offset, which every process that received the same
 * open file shares. It owns the descriptors that came, and closes them whether it read or failed.
 */
@Component(service = Action.class)
@ActionName("demo.read-fd")
public final class ReadFdAction implements Action {
    private static final int MAX_READ = 4096;

    @Override
    public Message handle(ActionContext context) throws IOException {
        Message request = context.message();
        if (request.fileDescriptors().size() != 1) {
            throw new IllegalArgumentException("expected one file descriptor, got " + request.fileDescriptors().size());
        }
        FileDescriptor fd = request.fileDescriptors().get(0);
        try (FileInputStream in = new FileInputStream(fd); FileChannel file = in.getChannel()) {
            ByteBuffer content = ByteBuffer.allocate(MAX_READ);
            while (content.hasRemaining() && file.read(content, content.position()) > 0) {
                // positional reads: the shared file offset stays where it was
            }
            String text = new String(content.array(), 0, content.position(), StandardCharsets.UTF_8);
            Console.say("read through the file descriptor from " + context.peer() + ": '" + Printable.escape(text) + "'");
            return Message.of(request.action(), text);
        }
    }
}
