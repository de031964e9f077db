package dev.mpchannel.transport.launch;

/**
 * A channel as standard JVM tooling (JConsole, VisualVM, {@code jcmd}, any JMX client) sees it, registered as
 * {@code dev.mpchannel:type=Channel,name=<prefix>} for as long as the channel runs. The counters are totals over every
 * action since the channel started (the per-peer ones end with the peer); each read takes a fresh
 * {@link dev.mpchannel.api.Channel#status()}.
 */
public interface ChannelMXBean {
    String getName();

    /** {@code primary} or {@code secondary}. */
    String getRole();

    String getSocketPath();

    /** {@code LISTENING}, {@code CONNECTED}, {@code CONNECTING} or {@code CLOSED}. */
    String getState();

    int getPeerCount();

    /** One line per connected peer: id, role, pid, uid. */
    String[] getPeers();

    String[] getBoundActions();

    String[] getRefusedActions();

    long getMessagesIn();

    long getMessagesOut();

    long getBytesIn();

    long getBytesOut();

    long getFdsIn();

    long getFdsOut();

    long getErrors();

    long getIgnored();

    long getTimeouts();
}
