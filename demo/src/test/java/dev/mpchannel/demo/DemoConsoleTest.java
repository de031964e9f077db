package dev.mpchannel.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the demo prints of a peer's text reaches the terminal escaped: one line, no escape sequence. */
class DemoConsoleTest {
    @Test
    void aGreetingIsPrintedEscaped() throws Exception {
        Peer from = new Peer(7, Role.SECONDARY, 4242, 1000, 1000, Instant.EPOCH);
        String printed = printed(() -> new HelloAction().handle(
                Message.of(HelloAction.NAME, "hi\u001b[2J\nreceived message 'forged' from primary"), from));
        assertEquals("received message 'hi\\x1B[2J\\nreceived message 'forged' from primary' from " + from + "\n",
                printed);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static String printed(Call call) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            call.run();
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
