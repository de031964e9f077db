package dev.mpchannel.transport.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The configuration of one channel: a factory configuration of {@value #FACTORY_PID}, one per channel (with
 * FileInstall or in Karaf's {@code etc/}, a file {@code dev.mpchannel.channel-NAME.cfg}). Defined here once, with
 * its Metatype, for consoles and for the keys and defaults that {@link ChannelProperties} reads: the components read
 * the configuration's properties themselves, so that a wrong value is reported with its key, not as a conversion
 * error of Declarative Services.
 */
@ObjectClassDefinition(id = ChannelConfiguration.FACTORY_PID, name = "mpchannel channel",
        description = "A primary/secondary message channel over a Unix domain socket; one configuration per channel")
public @interface ChannelConfiguration {
    String FACTORY_PID = "dev.mpchannel.channel";

    @AttributeDefinition(name = "Role", description = "This process's side of the channel: the primary listens, "
            + "secondaries connect to it; auto is primary when no primary is alive for this prefix, else secondary",
            options = {
                @Option(label = "primary", value = "primary"),
                @Option(label = "secondary", value = "secondary"),
                @Option(label = "auto", value = "auto")})
    String role();

    @AttributeDefinition(name = "Prefix", description = "Names the channel, so several can share a host; the "
            + "socket is <socket.dir>/<prefix>.sock")
    String prefix() default "mpchannel";

    @AttributeDefinition(name = "Socket directory", description = "Where the socket lives, an absolute "
            + "path; empty for $XDG_RUNTIME_DIR/mpchannel, or /tmp/mpchannel-<user> without it. Created 0700",
            required = false)
    String socket_dir() default "";

    @AttributeDefinition(name = "Socket group", description = "A group that may reach the socket too (directory "
            + "0750, socket 0660); empty: only the owner (0700, 0600)", required = false)
    String socket_group() default "";

    @AttributeDefinition(name = "Allowed uids", description = "Users besides this process's own and root whose "
            + "processes may connect (checked with SO_PEERCRED before anything is read)", required = false)
    String[] allowed_uids() default {};

    @AttributeDefinition(name = "Allowed gids", description = "Groups whose processes may connect (their primary "
            + "gid, checked with SO_PEERCRED)", required = false)
    String[] allowed_gids() default {};

    @AttributeDefinition(name = "Allowed actions", description = "Action names or globs (* and ?) whose services "
            + "are bound; empty allows none", required = false)
    String[] allowed_actions() default {};

    @AttributeDefinition(name = "Largest parameters", description = "The most parameter bytes a message may carry, "
            + "checked when sending and before allocating on receipt", min = "0")
    int max_message_bytes() default 65536;

    @AttributeDefinition(name = "Largest inline parameters", description = "Parameters longer than this travel "
            + "in shared memory (an unlinked file in /dev/shm, mapped read-only by the receiver) instead of through "
            + "the socket", min = "0")
    int inline_max_bytes() default 65536;

    @AttributeDefinition(name = "Most file descriptors", description = "The most file descriptors a message may "
            + "carry, 0..253 (the kernel's SCM_MAX_FD); with wire=dpdk at most the layout's: 8 for 22.11, 253 for "
            + "25.11", min = "0", max = "253")
    int max_fds() default 8;

    @AttributeDefinition(name = "Action threads", description = "Threads that run actions; messages from one peer "
            + "run in order, peers in parallel", min = "1")
    int action_threads() default 4;

    @AttributeDefinition(name = "Queue depth", description = "Messages from one peer that may wait for their "
            + "action; past that, reading from that peer pauses until they are handled (backpressure)", min = "1")
    int queue_depth() default 1024;

    @AttributeDefinition(name = "Most peers", description = "Connected secondaries a primary accepts; more are "
            + "refused", min = "1")
    int max_peers() default 4096;

    @AttributeDefinition(name = "When the primary is lost", description = "What a secondary does when its "
            + "primary goes away: reconnect (with backoff, its actions staying bound) or stop (its channel closes "
            + "until the configuration changes)", options = {
                @Option(label = "reconnect", value = "reconnect"),
                @Option(label = "stop", value = "stop")})
    String primary_loss() default "reconnect";

    @AttributeDefinition(name = "Wire", description = "mpchannel (this project's own, over a stream socket) or dpdk "
            + "(join a DPDK application's multi-process channel as one of its secondaries: role must be secondary, "
            + "parameters at most 256 bytes)", options = {
                @Option(label = "mpchannel", value = "mpchannel"),
                @Option(label = "dpdk", value = "dpdk")})
    String wire() default "mpchannel";

    @AttributeDefinition(name = "DPDK file prefix", description = "With wire=dpdk: the DPDK application's "
            + "--file-prefix, which names its runtime directory", required = false)
    String dpdk_file_prefix() default "rte";

    @AttributeDefinition(name = "DPDK runtime directory", description = "With wire=dpdk: the directory of the DPDK "
            + "application's mp_socket, an absolute path; empty to derive it as DPDK does ($RUNTIME_DIRECTORY, else /var/run for root, "
            + "else $XDG_RUNTIME_DIR, else /tmp; then dpdk/<file prefix>)", required = false)
    String dpdk_runtime_dir() default "";

    @AttributeDefinition(name = "DPDK layout", description = "With wire=dpdk: the datagram layout the DPDK "
            + "application speaks, 22.11 (DPDK 18.02 to 25.07) or 25.11 (DPDK 25.11 and later); required, never "
            + "guessed: one datagram in the wrong layout stops the DPDK process's IPC", required = false,
            options = {
                @Option(label = "22.11 (DPDK 18.02 to 25.07)", value = "22.11"),
                @Option(label = "25.11 (DPDK 25.11 and later)", value = "25.11")})
    String dpdk_layout() default "";

    @AttributeDefinition(name = "Write timeout (ms)", description = "How long a write to a peer may take, and a "
            + "message queued for it may wait, before the peer is taken for stuck and disconnected", min = "1")
    long write_timeout_ms() default 5000;

    @AttributeDefinition(name = "Request spin (µs)", description = "How long the caller of a blocking request "
            + "spins for its reply before it sleeps: a reply that comes within it costs the caller no context switch. "
            + "0 never spins; with one CPU the channel never spins whatever the value", min = "0")
    long request_spin_us() default 50;

    @AttributeDefinition(name = "Reader hand-off (µs)", description = "An action whose peer has nothing else "
            + "waiting runs on the thread that read it, saving the wake-up of an action thread; if it runs longer "
            + "than this (10 times as long if it is running rather than waiting), or makes a blocking request, the "
            + "peer's reading passes to a new thread. 0 runs every action that is not inline on the action threads",
            min = "0")
    long reader_handoff_us() default 10_000;

    @AttributeDefinition(name = "Reading threads", description = "How many peers get a reading thread of their "
            + "own (the first to connect); the others are read by pollers, one thread for up to 64 of them "
            + "that waits for all of its peers at once (poll), and their actions run on the action threads. A peer with a thread of its own answers a little "
            + "sooner; hundreds of peers cost hundreds of threads", min = "0")
    int read_threads() default 16;
}
