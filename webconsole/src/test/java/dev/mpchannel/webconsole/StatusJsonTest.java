package dev.mpchannel.webconsole;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.ChannelRuntime;
import dev.mpchannel.transport.channel.ConfiguredChannel;
import dev.mpchannel.transport.channel.LocalChannels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tab's JSON, read from a real primary with a real secondary over a Unix socket. */
class StatusJsonTest {
    /** An action name a hostile secondary chooses: markup, a bidi override, a newline. */
    private static final String HOSTILE = "<img src=x onerror=alert(1)>\u202E\n";

    @TempDir
    Path dir;

    private LocalChannels channels;
    private ChannelRuntime secondary;

    @BeforeEach
    void start() throws Exception {
        channels = LocalChannels.start(dir, "web.*");
        secondary = channels.connectSecondary("web.*");
        secondary.actions().bind("web.echo", context -> Message.of("web.echo", context.message().paramsAsString()), false);
        channels.primary().actions().bind("web.here", context -> null, false);
        channels.primary().actions().bind("other.refused", context -> null, false); // not on web.*
    }

    @AfterEach
    void stop() throws Exception {
        channels.close();
    }

    @Test
    void showsTheChannelItsPeerActionsAndCounters() throws Exception {
        channels.primary().request(Message.of("web.echo", "ping"), Duration.ofSeconds(10));
        String json = StatusJson.of(List.of(launch("a", channels.primary())), 1234);
        assertContains(json, "{\"time\":1234,\"channels\":[{\"name\":\"a\",\"running\":true,\"role\":\"primary\","
                + "\"state\":\"LISTENING\"");
        assertContains(json, "\"role\":\"secondary\",\"pid\":" + ProcessHandle.current().pid());
        assertContains(json, "\"bound\":[\"web.here\"],\"refused\":[\"other.refused\"]");
        assertContains(json, "{\"name\":\"web.echo\",\"here\":\"-\",\"traffic\":{\"messagesIn\":1,\"messagesOut\":1,");
        assertContains(json, "\"totals\":{\"messagesIn\":1,\"messagesOut\":1,");
    }

    @Test
    void aChannelThatDoesNotRunSaysWhy() {
        ConfiguredChannel waiting = new ConfiguredChannel() {
            @Override
            public String name() {
                return "late";
            }

            @Override
            public Optional<Channel> channel() {
                return Optional.empty();
            }

            @Override
            public Optional<String> problem() {
                return Optional.of("waits: bundle mpchannel-impl-secondary is not active");
            }
        };
        assertContains(StatusJson.of(List.of(waiting), 1), "{\"name\":\"late\",\"running\":false,"
                + "\"problem\":\"waits: bundle mpchannel-impl-secondary is not active\"}");
    }

    @Test
    void anActionNameAPeerChoseIsEscapedForTheTerminalAndInertInHtml() throws Exception {
        secondary.request(Message.of(HOSTILE), Duration.ofSeconds(10)); // answered "ignored": no such action
        Await.until("the primary counts the unknown action", () -> StatusJson.of(List.of(launch("a",
                channels.primary())), 1).contains("onerror"));
        String json = StatusJson.of(List.of(launch("a", channels.primary())), 1);
        assertContains(json, "\"name\":\"\\u003cimg src=x onerror=alert(1)\\u003e\\\\u{202E}\\\\n\",\"here\":\"-\"");
        assertFalse(json.contains("<"), json);
        assertFalse(json.contains("\u202E"), json);
    }

    static ConfiguredChannel launch(String name, Channel channel) {
        return new ConfiguredChannel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<Channel> channel() {
                return Optional.of(channel);
            }

            @Override
            public Optional<String> problem() {
                return Optional.empty();
            }
        };
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), () -> "expected " + part + "\n in " + text);
    }
}
