package dev.mpchannel.rings.internal;

import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Role;
import dev.mpchannel.rings.RingOptions;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Both sides of a pair in one JVM, made as across processes: the opener's side from new memory and doorbells, the
 * acceptor's from duplicates of the descriptors (what the kernel gives a peer). A side that closes tells the other
 * as the action would.
 */
final class LocalPair implements AutoCloseable {
    static final Peer PEER = new TestPeer();

    final SharedRingPair opener;
    final SharedRingPair acceptor;

    private LocalPair(SharedRingPair opener, SharedRingPair acceptor) {
        this.opener = opener;
        this.acceptor = acceptor;
    }

    static LocalPair open(RingOptions options) throws IOException {
        return open(options, true);
    }

    /** With {@code tell} false a side's close reaches the other only through the shared memory and the doorbells. */
    static LocalPair open(RingOptions options, boolean tell) throws IOException {
        SharedRingPair[] sides = new SharedRingPair[2];
        OpenRequest request = new OpenRequest("test", 7, options.toPeer(), options.fromPeer());
        List<FileDescriptor> duplicates = new ArrayList<>();
        try (PairFactory.Opened opened = PairFactory.open("local", request, PEER, (pair, tellPeer) -> {
            if (tell && tellPeer) {
                sides[1].closeFromPeer("the peer closed it");
            }
        })) {
            for (FileDescriptor fd : opened.descriptors()) {
                duplicates.add(FileDescriptorCast.duplicating(fd).getFileDescriptor());
            }
            sides[0] = opened.pair();
        }
        sides[1] = PairFactory.accept("local", request, PEER, duplicates, (pair, tellPeer) -> {
            if (tell && tellPeer) {
                sides[0].closeFromPeer("the peer closed it");
            }
        });
        return new LocalPair(sides[0], sides[1]);
    }

    @Override
    public void close() {
        opener.close();
        acceptor.close();
    }

    /** This process's descriptors and mappings of ring memory, and its descriptors in all. */
    static String resources() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            long all = 0;
            long rings = 0;
            for (Path fd : fds.toList()) {
                all++;
                try {
                    if (Files.readSymbolicLink(fd).toString().contains("mpchannel-ring-")) {
                        rings++;
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor
                }
            }
            long mappings = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(line -> line.contains("mpchannel-ring-")).count();
            return "fds " + all + ", ring fds " + rings + ", ring mappings " + mappings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class TestPeer implements Peer {
        private final Instant since = Instant.now();

        @Override
        public String channel() {
            return "local";
        }

        @Override
        public long id() {
            return 1;
        }

        @Override
        public Role role() {
            return Role.SECONDARY;
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public long uid() {
            return 0;
        }

        @Override
        public long gid() {
            return 0;
        }

        @Override
        public Instant connectedSince() {
            return since;
        }
    }
}
