package com.example.ringecho;

import dev.mpchannel.rings.Idle;
import dev.mpchannel.rings.RingAcceptor;
import dev.mpchannel.rings.RingClosedException;
import dev.mpchannel.rings.RingPair;
import dev.mpchannel.rings.RingWriter;
import java.nio.ByteBuffer;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the ring pairs peers open under the name {@value #NAME} and writes every record it reads back to the peer,
 * on a thread of its own per pair, parked on the doorbell while nothing comes.
 */
@Component(service = RingAcceptor.class, property = RingAcceptor.NAME + "=" + EchoAcceptor.NAME)
public final class EchoAcceptor implements RingAcceptor {
    /** The name of the pairs it takes. */
    public static final String NAME = "echo";
    private static final Logger LOG = LoggerFactory.getLogger(EchoAcceptor.class);

    @Override
    public void accepted(RingPair pair) {
        Thread echo = new Thread(() -> echo(pair), "ring-echo-" + pair.peer().pid());
        echo.setDaemon(true);
        echo.start();
    }

    private static void echo(RingPair pair) {
        RingWriter writer = pair.writer();
        long[] records = {0};
        try {
            while (true) {
                pair.reader().receive(record -> {
                    echo(writer, record);
                    records[0]++;
                }, 256, Idle.PARK);
            }
        } catch (RingClosedException e) {
            LOG.info("ring echo: {} records echoed; {}", records[0], e.getMessage());
        } finally {
            pair.close();
        }
    }

    /** Waits for room (the peer reads behind); a closed pair ends the wait with the exception the reader sees next. */
    private static void echo(RingWriter writer, ByteBuffer record) {
        try {
            while (!writer.offer(record)) {
                Thread.yield();
            }
        } catch (RingClosedException e) {
            // the reader's next receive throws it too
        }
    }
}
