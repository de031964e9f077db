package dev.mpchannel.demo;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.transport.text.Printable;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Java half of {@code ./demo.sh dpdk}: on a channel with {@code wire=dpdk}, once it has joined the DPDK
 * application, it requests the application's actions (one with a file descriptor each way), sends it a message and
 * asks DPDK's own vdev bus for its devices, printing each answer; then it prints whether all went as it should. The
 * other half (the DPDK application requesting this process's actions) is driven by the script.
 */
@Component(configurationPid = DpdkDemoRunner.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DpdkDemoRunner.Config.class)
public final class DpdkDemoRunner {
    static final String PID = "dev.mpchannel.demo.dpdk";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @ObjectClassDefinition(name = "mpchannel DPDK demo", description = "The demonstration of a DPDK channel")
    @interface Config {
        @AttributeDefinition(description = "The channel to use, as a filter (the configuration of its reference)")
        String channel_target() default "(mp.channel=dpdk)";
    }

    @Reference(name = "channel", target = "(mp.channel=dpdk)")
    private Channel channel;

    private final List<String> failures = new ArrayList<>();
    private Thread runner;

    @Activate
    void activate() {
        runner = new Thread(this::runAndReport, "mpchannel-demo-dpdk");
        runner.start();
    }

    @Deactivate
    void deactivate() {
        runner.interrupt();
    }

    private void runAndReport() {
        try {
            run();
        } catch (InterruptedException e) {
            return;
        } catch (Exception e) {
            failures.add("the demo stopped: " + e);
        }
        Console.say(failures.isEmpty() ? "=== java side passed ===" : "=== java side FAILED: " + failures + " ===");
    }

    private void run() throws Exception {
        Console.say("[java 1] waiting to join the DPDK application (channel " + channel.name() + " at "
                + channel.status().socketPath() + ")");
        while (channel.peers().isEmpty()) {
            Thread.sleep(50);
        }
        Peer primary = channel.peers().get(0);
        Console.say("    joined the DPDK primary, pid " + primary.pid());

        Console.say("[java 2] request(dpdk.echo \"hello from java\")");
        Replies echo = channel.request(Message.of("dpdk.echo", "hello from java"), TIMEOUT);
        say(echo);
        check(echo.received() == 1 && echo.replies().get(0).message().paramsAsString()
                .equals("dpdk pid " + primary.pid() + " echoes 'hello from java'"), "dpdk.echo: " + echo);

        Console.say("[java 3] request(dpdk.fd) with a file's descriptor; the reply carries one of DPDK's");
        Path file = Files.createTempFile("mpchannel-dpdk-demo-", ".txt");
        try {
            Files.writeString(file, "written by java pid " + ProcessHandle.current().pid());
            Replies read;
            try (FileInputStream in = new FileInputStream(file.toFile())) {
                read = channel.request(Message.of("dpdk.fd").withFileDescriptors(in.getFD()), TIMEOUT);
            }
            say(read);
            Message reply = read.replies().get(0).message();
            String theirs = "";
            if (reply != null) {
                try {
                    if (reply.fileDescriptors().size() == 1) {
                        try (FileInputStream in = new FileInputStream(reply.fileDescriptors().get(0))) {
                            theirs = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                    }
                } finally {
                    ReceivedDescriptors.close(reply); // a reply's descriptors are the requester's: all of them
                }
            }
            Console.say("    read through DPDK's descriptor: '" + Printable.escape(theirs) + "'");
            check(theirs.equals("from dpdk pid " + primary.pid()), "dpdk.fd's descriptor read '" + theirs + "'");
        } finally {
            Files.deleteIfExists(file);
        }

        Console.say("[java 4] send(dpdk.note \"a note from java\") (the DPDK application prints it)");
        check(channel.send(Message.of("dpdk.note", "a note from java")) == 1, "dpdk.note not sent");

        Console.say("[java 5] request(bus_vdev_mp, scan): DPDK's own vdev bus answers");
        ByteBuffer scan = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder()).putInt(0, 1);
        Replies vdevs = channel.request(Message.of("bus_vdev_mp", scan.array()), TIMEOUT);
        int count = vdevs.received() == 1
                ? vdevs.replies().get(0).message().paramsBuffer().order(ByteOrder.nativeOrder()).getInt(4) : -1;
        Console.say("    sent " + vdevs.sent() + ", received " + vdevs.received() + ": " + count + " vdev(s)");
        check(count == 1, "the vdev scan counted " + count + " devices, not 1 (net_null0)");
    }

    private static void say(Replies replies) {
        Console.say("    sent " + replies.sent() + ", received " + replies.received() + ": "
                + replies.replies().stream().map(r -> r.replied() ? "'" + Printable.escape(r.message().paramsAsString())
                        + "'" : r.status() + " (" + Printable.escape(r.reason()) + ")").toList());
    }

    private void check(boolean condition, String failure) {
        if (!condition) {
            failures.add(failure);
            Console.say("    FAILED: " + Printable.escape(failure)); // it may quote what a peer sent
        }
    }
}
