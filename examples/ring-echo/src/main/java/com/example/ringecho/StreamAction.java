package com.example.ringecho;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import dev.mpchannel.rings.RingClosedException;
import dev.mpchannel.rings.RingOptions;
import dev.mpchannel.rings.RingPair;
import dev.mpchannel.rings.Rings;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code ringecho.stream NAME COUNT} by opening a one-way ring pair named NAME to the requester and writing
 * COUNT records of 64 bytes into it, each starting with its sequence number (a long), on a thread of its own.
 */
@Component(service = Action.class)
@ActionName(StreamAction.NAME)
public final class StreamAction implements Action {
    /** The action's name. */
    public static final String NAME = "ringecho.stream";
    private static final Logger LOG = LoggerFactory.getLogger(StreamAction.class);

    @Reference
    private Rings rings;

    @Override
    public Message handle(ActionContext context) throws Exception {
        String[] words = context.message().paramsAsString().split(" ");
        long count = Long.parseLong(words[1]);
        RingPair pair = rings.open(context.channel(), context.peer(), words[0], RingOptions.toPeer(1 << 20),
                Duration.ofSeconds(10));
        Thread stream = new Thread(() -> stream(pair, count), "ring-stream-" + context.peer().pid());
        stream.setDaemon(true);
        stream.start();
        return Message.of(NAME, "streaming");
    }

    private static void stream(RingPair pair, long count) {
        ByteBuffer record = ByteBuffer.allocateDirect(64);
        long sequence = 0;
        try {
            for (; sequence < count; sequence++) {
                record.putLong(0, sequence);
                while (!pair.writer().offer(record)) {
                    Thread.yield();
                }
            }
            LOG.info("ring stream: {} records written", sequence);
        } catch (RingClosedException e) {
            LOG.info("ring stream: {} records written; {}", sequence, e.getMessage());
        }
    }
}
