package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The Java side of the DPDK rows, in a bench JVM whose channel has {@code wire=dpdk} (the {@link Configurer} makes
 * it from {@code mpbench.wire=dpdk}): when the framework property {@code mpbench.dpdk.driver.dir} names a directory,
 * it waits for the DPDK primary, then requests the DPDK application's {@code dpdk.echo} (64 bytes of 'x') one
 * request after another, timed as the other round trips ({@code dpdk-java-to-primary}: the histogram and both
 * processes' context switches in {@code results.txt}), and says {@code done} in {@code status}. The process stays
 * up afterwards: the harness then has the DPDK application request this process's {@code bench.echo}.
 */
@Component(immediate = true)
public final class DpdkDriver {
    static final String WORKLOAD = "dpdk-java-to-primary";

    @Reference
    private Channel channel;

    private Thread runner;

    @Activate
    void activate(BundleContext context) {
        String where = context.getProperty("mpbench.dpdk.driver.dir");
        if (where == null) {
            return;
        }
        DriverProperties properties = new DriverProperties(context);
        HarnessFiles files = new HarnessFiles(Path.of(where));
        runner = new Thread(() -> {
            try {
                files.status("started");
                run(properties, files);
                files.status("done");
            } catch (InterruptedException e) {
                // stopped by the harness
            } catch (Throwable e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                System.err.println("mpbench dpdk driver failed: " + trace);
                try {
                    files.status("failed: " + e.toString().replace('\n', ' '));
                } catch (java.io.IOException ignored) {
                    // the harness times out instead
                }
            }
        }, "mpbench-dpdk-driver");
        runner.start();
    }

    @Deactivate
    void deactivate() {
        if (runner != null) {
            runner.interrupt();
        }
    }

    private void run(DriverProperties properties, HarnessFiles files) throws Exception {
        int warmup = properties.intProperty("mpbench.warmup", 20_000);
        int count = properties.intProperty("mpbench.iters", 10_000) * properties.intProperty("mpbench.reps", 5);
        Peer primary = awaitPrimary(Duration.ofSeconds(properties.intProperty("mpbench.wait.seconds", 60)));
        byte[] params = new byte[64];
        Arrays.fill(params, (byte) 'x');
        Message request = Message.of("dpdk.echo", params);
        new Workloads(channel, files, properties).latency(WORKLOAD, warmup, count, primary.pid(), () -> {
            Replies replies = channel.request(primary, request, Workloads.TIMEOUT);
            if (replies.received() != 1 || !replies.replies().get(0).message().paramsAsString().startsWith("dpdk pid")) {
                throw new IllegalStateException("dpdk.echo was not answered as expected: " + replies);
            }
        });
    }

    private Peer awaitPrimary(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<Peer> peers = channel.peers();
            for (Peer peer : peers) {
                if (peer.role() == Role.PRIMARY) {
                    return peer;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no DPDK primary joined within " + wait + "; peers " + peers);
            }
            Thread.sleep(20);
        }
    }
}
