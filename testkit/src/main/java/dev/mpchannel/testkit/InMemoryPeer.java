package dev.mpchannel.testkit;

import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/** A peer of an {@link InMemoryChannel}: this process, under the id and role the channel gave it. */
record InMemoryPeer(String channel, long id, Role role, long pid, long uid, long gid, Instant connectedSince)
        implements Peer {

    /** Peer {@code id} of {@code channel}, connected now, with this process's pid, uid and gid. */
    static InMemoryPeer of(String channel, long id, Role role) {
        long uid = -1;
        long gid = -1;
        try {
            uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
            gid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
        } catch (Exception notLinux) {
            // -1: unknown, as nothing here asked the kernel
        }
        return new InMemoryPeer(channel, id, role, ProcessHandle.current().pid(), uid, gid, Instant.now());
    }

    @Override
    public String toString() {
        return role.name().toLowerCase(Locale.ROOT) + "#" + id + "(in memory)";
    }
}
