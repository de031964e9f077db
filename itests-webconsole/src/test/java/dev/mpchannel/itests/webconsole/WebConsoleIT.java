package dev.mpchannel.itests.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mpchannel.testkit.ChannelConfiguration;
import dev.mpchannel.testkit.PeerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The mpchannel tab in a real browser: a primary started with {@code mpchannel.sh --conf DIR --console PORT} serves
 * the Web Console; secondaries (other JVMs, {@code mpchannel.sh --conf DIR}) connect and leave. The page is loaded
 * once and never reloaded: what it shows must follow by itself. It shows the channel listening with no peer; a
 * secondary's row (its pid) once it connects; the counters moving when the primary's demo exchanges messages with
 * it (and an action nobody has counted as ignored); the health verdict, following the peers; a second secondary
 * beside the first; and the first one gone once it is killed, the second still there. Without the console's login
 * nothing is shown, and the tab refuses anything but GET.
 */
class WebConsoleIT {
    private static final String CHANNEL = "webit";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void theTabFollowsPeersCountersAndHealth() throws Exception {
        try (ConsoleProcesses processes = new ConsoleProcesses(Path.of(System.getProperty("mpchannel.script")));
             TabBrowser browser = browser()) {
            System.out.println("browser: " + browser.name());
            ChannelConfiguration channel = ChannelConfiguration.primary(CHANNEL).socketDir(processes.socketDir())
                    .allowedActions("demo.*");
            int port = freePort();
            // once a secondary is connected, the demo sends, requests, and asks for an action nobody has
            processes.startConsole(channel, Map.of("dev.mpchannel.demo.cfg", "run=true\nsecondaries=1\nexit=false\n"),
                    port);
            String url = "http://127.0.0.1:" + port + "/system/console/mpchannel";
            try {
                awaitTab(url, processes);
                assertEquals(401, answer(url + "/status.json", "GET", false), "no figures without the console's login");
                assertEquals(405, answer(url, "POST", true), "the tab is read-only");
                browser.open(url, "admin", "admin");

                Map<String, String> shown = await(browser, "the channel listening, no peer",
                        s -> "LISTENING".equals(s.get("fact.state")) && "".equals(s.get("peers")));
                assertEquals("primary", shown.get("fact.role"));
                assertTrue(shown.get("fact.socket").endsWith("/" + CHANNEL + ".sock"), shown.toString());
                assertEquals("0/0 in/out", shown.get("fact.messages"));

                PeerProcess first = processes.startSecondary("secondary-1", channel);
                String firstPid = Long.toString(first.pid());
                shown = await(browser, "secondary 1 (pid " + firstPid + ") in the peers",
                        s -> pids(s).equals(Set.of(firstPid)));
                assertEquals(firstPid, shown.get("peer." + firstPid));

                shown = await(browser, "the counters moved by the demo, demo.nobody ignored",
                        s -> !"0/0 in/out".equals(s.get("fact.messages"))
                                && "1".equals(s.get("action.demo.nobody.ignored")));
                assertEquals("-", shown.get("action.demo.nobody.here"));
                assertEquals("bound", shown.get("action.demo.echo.here"));

                await(browser, "the health verdict", s -> Set.of("OK", "WARN").contains(s.get("health")));

                PeerProcess second = processes.startSecondary("secondary-2", channel);
                String secondPid = Long.toString(second.pid());
                shown = await(browser, "both secondaries in the peers",
                        s -> pids(s).equals(Set.of(firstPid, secondPid)));
                assertEquals("2", shown.get("fact.peerCount"));
                String messagesThen = shown.get("fact.messages");
                // the verdict follows: the page asks again when a peer comes, or within 10 s
                await(browser, "the health check seeing both secondaries",
                        s -> s.getOrDefault("findings", "").contains("2 secondaries connected"));
                saveScreenshot(browser);

                first.kill();
                shown = await(browser, "secondary 1 gone, secondary 2 still there",
                        s -> pids(s).equals(Set.of(secondPid)));
                assertEquals("1", shown.get("fact.peerCount"));
                // the channel's totals keep what crossed with a peer that left (the demo may still add to them)
                long[] then = inOut(messagesThen);
                long[] now = inOut(shown.get("fact.messages"));
                assertTrue(now[0] >= then[0] && now[1] >= then[1], "totals went down from " + messagesThen + " to "
                        + shown.get("fact.messages") + " when a peer left");
            } catch (AssertionError | Exception e) {
                System.out.println(processes.logs());
                throw e;
            }
        }
    }

    /** "IN/OUT in/out" as two numbers. */
    private static long[] inOut(String shown) {
        String[] counts = shown.replace(" in/out", "").split("/");
        return new long[] {Long.parseLong(counts[0].strip()), Long.parseLong(counts[1].strip())};
    }

    private static TabBrowser browser() throws Exception {
        String choice = System.getProperty("webconsole.browser", "auto");
        if ("htmlunit".equals(choice) || ("auto".equals(choice) || choice.isBlank()) && !ChromiumTab.installed()) {
            return new HtmlUnitTab();
        }
        return new ChromiumTab(); // "chromium" fails here, clearly, when it is not installed
    }

    private static Set<String> pids(Map<String, String> shown) {
        String peers = shown.getOrDefault("peers", "");
        return peers.isEmpty() ? Set.of()
                : Arrays.stream(peers.split(",")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Polls what the page shows until {@code condition} holds; fails with the last state otherwise. */
    private static Map<String, String> await(TabBrowser browser, String what, Predicate<Map<String, String>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Map<String, String> shown = Map.of();
        while (System.nanoTime() < deadline) {
            shown = browser.snapshot(CHANNEL);
            if (condition.test(shown)) {
                return shown;
            }
            Thread.sleep(100);
        }
        fail("the tab did not show " + what + " within " + DEADLINE.toSeconds() + " s; it shows " + shown
                + "\npage text: " + browser.run("document.body ? document.body.innerText : '(no body)'"));
        return shown;
    }

    /**
     * Waits until the tab answers (Jetty started, the console and the tab's servlet registered), so that the browser's
     * one load finds it: the port opens before the console has its plugins.
     */
    private static void awaitTab(String url, ConsoleProcesses processes) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/status.json"))
                .header("Authorization", basic())
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"name\":\"" + CHANNEL + "\"")) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(200);
        }
        fail("the tab did not answer with channel " + CHANNEL + " within 60 s at " + url + ": " + last + "\n"
                + processes.logs());
    }

    /** The HTTP status of a {@code method} request, with the console's default login or without. */
    private static int answer(String url, String method, boolean login) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (login) {
            request.header("Authorization", basic());
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void saveScreenshot(TabBrowser browser) throws Exception {
        Path file = Path.of(System.getProperty("screenshot.dir", "target"), "webconsole.png");
        if (!browser.screenshot(file)) {
            return;
        }
        System.out.println("screenshot: " + file);
        String copy = System.getProperty("webconsole.screenshot", "");
        if (!copy.isBlank() && !copy.startsWith("$")) {
            Path target = Path.of(System.getProperty("project.root", ".")).resolve(copy);
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.out.println("screenshot copied to " + target);
        }
    }
}
