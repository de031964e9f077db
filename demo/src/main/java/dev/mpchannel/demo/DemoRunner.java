package dev.mpchannel.demo;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.transport.text.Printable;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * The scenario {@code ./demo.sh} shows, run by the primary once its secondaries are connected: a message each way,
 * a request answered by every secondary, a file descriptor whose content a secondary reads, and a request for an
 * action nobody has, answered "ignored" at once. It prints what happens and, when configured to, exits the JVM
 * with 0 if everything happened as it should.
 */
@Component(configurationPid = DemoRunner.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DemoRunner.Config.class)
public final class DemoRunner {
    static final String PID = "dev.mpchannel.demo";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @ObjectClassDefinition(name = "mpchannel demo", description = "The demonstration the primary runs")
    @interface Config {
        @AttributeDefinition(description = "Run the demonstration (on the primary)")
        boolean run() default false;

        @AttributeDefinition(description = "How many secondaries to wait for")
        int secondaries() default 2;

        @AttributeDefinition(description = "Exit the JVM when done: 0 if every step passed, 1 if not")
        boolean exit() default true;
    }

    @Reference(target = "(" + Channel.ROLE + "=primary)")
    private Channel channel;

    @Reference
    private HelloAction hello;

    private final List<String> failures = new ArrayList<>();
    private Thread runner;

    @Activate
    void activate(Config config) {
        if (!config.run()) {
            return;
        }
        runner = new Thread(() -> runAndExit(config), "mpchannel-demo");
        runner.start();
    }

    @Deactivate
    void deactivate() {
        if (runner != null) {
            runner.interrupt();
        }
    }

    private void runAndExit(Config config) {
        try {
            run(config.secondaries());
        } catch (InterruptedException e) {
            return;
        } catch (Exception e) {
            failures.add("the demo stopped: " + e);
        }
        Console.say(failures.isEmpty() ? "\n=== demo passed ===" : "\n=== demo FAILED: " + failures + " ===");
        if (config.exit()) {
            System.exit(failures.isEmpty() ? 0 : 1);
        }
    }

    private void run(int expected) throws Exception {
        Console.say("\n=== mpchannel demo: this primary (pid " + ProcessHandle.current().pid() + ") and " + expected
                + " secondaries, each its own JVM ===");
        step(1, "waiting for " + expected + " secondaries to connect");
        List<Peer> peers = awaitSecondaries(expected);
        peers.forEach(peer -> Console.say("    connected: " + peer + ", uid " + peer.uid()));

        step(2, "message, primary -> every secondary: send(demo.hello)");
        int written = channel.send(Message.of(HelloAction.NAME, "hello from the primary, pid " + ProcessHandle.current().pid()));
        Console.say("    written to " + written + " secondaries (each prints what it received)");
        check(written == expected, "send reached " + written + " of " + expected);

        step(3, "message, secondary -> primary: each secondary is told (request demo.tell) to send demo.hello");
        Replies told = channel.request(Message.of("demo.tell", "say hello"), TIMEOUT);
        check(told.complete(), "demo.tell: " + told);
        check(hello.await(expected, TIMEOUT), "not every secondary's hello arrived");

        step(4, "request, primary -> every secondary: request(demo.echo \"ping\")");
        Replies echoes = channel.request(Message.of("demo.echo", "ping"), TIMEOUT);
        print(echoes);
        check(echoes.sent() == expected && echoes.received() == expected, "echo: sent " + echoes.sent()
                + ", received " + echoes.received());

        step(5, "file descriptor: the primary opens a file and sends its descriptor (SCM_RIGHTS) with request(demo.read-fd)");
        String content = "written by the primary (pid " + ProcessHandle.current().pid() + ") at " + Instant.now();
        Path file = Files.createTempFile("mpchannel-demo-", ".txt");
        try {
            Files.writeString(file, content);
            Console.say("    the file holds: '" + content + "'");
            Replies reads;
            try (FileInputStream in = new FileInputStream(file.toFile())) {
                reads = channel.request(Message.of("demo.read-fd").withFileDescriptors(in.getFD()), TIMEOUT);
            }
            print(reads);
            check(reads.received() == expected && reads.replies().stream()
                    .allMatch(r -> r.replied() && content.equals(r.message().paramsAsString())),
                    "not every secondary read the file's content through the descriptor");
        } finally {
            Files.deleteIfExists(file);
        }

        step(6, "request for an action no one has: request(demo.nobody), timeout " + TIMEOUT.toSeconds() + " s");
        long start = System.nanoTime();
        Replies nobody = channel.request(Message.of("demo.nobody"), TIMEOUT);
        long millis = (System.nanoTime() - start) / 1_000_000;
        print(nobody);
        Console.say("    answered in " + millis + " ms, without waiting for the timeout");
        check(nobody.replies().stream().allMatch(r -> r.status() == Reply.Status.IGNORED), "demo.nobody not ignored");

        step(7, "nested request: each secondary's demo.ask action, while it handles this request, requests demo.echo "
                + "from the primary (DPDK's single receive thread would deadlock here)");
        Replies asked = channel.request(Message.of(AskAction.NAME, "demo.echo"), TIMEOUT);
        print(asked);
        String echoed = "REPLIED:pid " + ProcessHandle.current().pid() + " echoes 'asked by pid ";
        check(asked.received() == expected && asked.replies().stream()
                .allMatch(r -> r.replied() && r.message().paramsAsString().startsWith(echoed)),
                "not every secondary's nested request was answered by the primary");
    }

    private List<Peer> awaitSecondaries(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (channel.peers().size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + channel.peers().size() + " of " + expected
                        + " secondaries connected within 60 s");
            }
            Thread.sleep(50);
        }
        return channel.peers();
    }

    private static void step(int number, String what) {
        Console.say("\n[" + number + "] " + what);
    }

    private static void print(Replies replies) {
        Console.say("    sent " + replies.sent() + ", received " + replies.received());
        for (Reply reply : replies.replies()) {
            Console.say("      " + reply.peer() + ": " + reply.status() + (reply.replied()
                    ? " '" + Printable.escape(reply.message().paramsAsString()) + "'"
                    : " (" + Printable.escape(reply.reason()) + ")"));
        }
    }

    private void check(boolean condition, String failure) {
        if (!condition) {
            failures.add(failure);
            Console.say("    FAILED: " + Printable.escape(failure)); // it may quote what a peer sent
        }
    }
}
