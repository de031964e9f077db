package dev.mpchannel.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.OpenDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameCodec;
import dev.mpchannel.transport.wire.FrameException;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/** Frames through a real socket pair: batches in one write, descriptors on their frames, writers that never mix. */
class StreamConnectionTest {
    private static final FrameLimits LIMITS = new FrameLimits(4096, 4, 4096);

    @TempDir
    Path dir;

    private StreamConnection writer;
    private StreamConnection reader;

    @BeforeEach
    void connect() throws IOException {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        writer = StreamConnection.of((AFUNIXSocket) pair.getSocket1().socket(), 1, Role.SECONDARY, LIMITS);
        reader = StreamConnection.of((AFUNIXSocket) pair.getSocket2().socket(), 2, Role.PRIMARY, LIMITS);
    }

    @AfterEach
    void close() {
        writer.close();
        reader.close();
        reader.releaseReceived();
    }

    @Test
    void aListOfFramesGoesInOneWriteAndComesOutOfOneRead() throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            frames.add(Frame.message(Message.of("test.seq", Integer.toString(i))));
        }
        writer.write(frames);
        List<Frame> read = reader.readAvailable();
        assertEquals(100, read.size(), "one write of 100 frames is one read of 100 frames");
        for (int i = 0; i < 100; i++) {
            assertEquals(Integer.toString(i), read.get(i).message().paramsAsString());
        }
    }

    @Test
    void descriptorsStayWithTheirFramesInABatch() throws IOException {
        List<Frame> frames = new ArrayList<>();
        List<FileInputStream> files = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Message message = Message.of("test.seq", Integer.toString(i));
            if (i % 7 == 3) {
                FileInputStream file = new FileInputStream(Files.writeString(dir.resolve("f" + i), "fd " + i).toFile());
                files.add(file);
                message = message.withFileDescriptors(file.getFD());
            }
            frames.add(Frame.message(message));
        }
        writer.write(frames);
        for (FileInputStream file : files) {
            file.close(); // the contract: once write returns, the sender may close them
        }
        List<Frame> read = new ArrayList<>();
        while (read.size() < 30) {
            read.addAll(reader.readAvailable());
        }
        for (int i = 0; i < 30; i++) {
            Message message = read.get(i).message();
            assertEquals(Integer.toString(i), message.paramsAsString());
            if (i % 7 == 3) {
                assertEquals(1, message.fileDescriptors().size(), "frame " + i);
                assertEquals("fd " + i, contentOf(message.fileDescriptors().get(0)));
            } else {
                assertTrue(message.fileDescriptors().isEmpty(), "frame " + i);
            }
        }
    }

    @Test
    void concurrentWritersNeverMixTheirFramesAndKeepTheirOrder() throws Exception {
        int threads = 4;
        int each = 3000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = "test.t" + t;
                sent.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        writer.write(Frame.message(Message.of(name, Integer.toString(i))));
                    }
                    return null;
                }));
            }
            Map<String, Integer> next = new HashMap<>();
            int received = 0;
            while (received < threads * each) {
                List<Frame> frames = reader.readAvailable();
                for (Frame frame : frames) {
                    String name = frame.message().action();
                    int expected = next.getOrDefault(name, 0);
                    assertEquals(Integer.toString(expected), frame.message().paramsAsString(), name);
                    next.put(name, expected + 1);
                    received++;
                }
            }
            for (Future<?> done : sent) {
                done.get();
            }
            assertEquals(threads, next.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoHundredFiftyThreeDescriptorsGoEachWay() throws Exception {
        FrameLimits most = new FrameLimits(4096, 253, 4096);
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        StreamConnection one = StreamConnection.of((AFUNIXSocket) pair.getSocket1().socket(), 1, Role.SECONDARY, most);
        StreamConnection two = StreamConnection.of((AFUNIXSocket) pair.getSocket2().socket(), 2, Role.PRIMARY, most);
        try {
            for (StreamConnection[] way : new StreamConnection[][] {{one, two}, {two, one}}) {
                List<FileInputStream> files = openFiles("way" + way[0].credentials().id(), 253);
                try {
                    way[0].write(Frame.message(Message.of("test.fds").withFileDescriptors(
                            files.stream().map(StreamConnectionTest::fd).toList())));
                } finally {
                    closeAll(files);
                }
                Message got = way[1].read().message();
                assertEquals(253, got.fileDescriptors().size());
                for (FileDescriptor fd : got.fileDescriptors()) {
                    assertEquals("way" + way[0].credentials().id(), contentOf(fd));
                }
            }
        } finally {
            one.close();
            two.close();
            one.releaseReceived();
            two.releaseReceived();
        }
        assertEquals(List.of(), openIn(dir), "the descriptors passed are closed");
    }

    @Test
    void oneDescriptorMoreThanMaxFdsIsRefusedNamingTheCountsAndAllAreClosed() throws Exception {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        AFUNIXSocket raw = (AFUNIXSocket) pair.getSocket1().socket();
        StreamConnection strict = StreamConnection.of((AFUNIXSocket) pair.getSocket2().socket(), 2, Role.SECONDARY,
                LIMITS);
        try {
            List<FileInputStream> files = openFiles("five", LIMITS.maxFileDescriptors() + 1);
            try {
                raw.setOutboundFileDescriptors(files.stream().map(StreamConnectionTest::fd)
                        .toArray(FileDescriptor[]::new));
                byte[] frame = FrameCodec.encode(Frame.message(Message.of("test.fds")));
                frame[5] = 5;
                raw.getOutputStream().write(frame);
            } finally {
                closeAll(files);
            }
            FrameException refused = assertThrows(FrameException.class, strict::read);
            String expected = "uid " + strict.credentials().uid() + ": 5 file descriptors declared, the limit is 4; 5 arrived"
                    + " with its message, max.fds allows 4; all closed";
            assertEquals(expected, refused.getMessage());
        } finally {
            strict.close();
            strict.releaseReceived();
            raw.close();
        }
        assertEquals(List.of(), openIn(dir), "every descriptor received is closed with the connection");
    }

    @Test
    void descriptorsPiledUpWhileAFrameNeverCompletesAreRefused() throws Exception {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        AFUNIXSocket raw = (AFUNIXSocket) pair.getSocket1().socket();
        StreamConnection strict = StreamConnection.of((AFUNIXSocket) pair.getSocket2().socket(), 2, Role.SECONDARY,
                LIMITS);
        try {
            byte[] frame = FrameCodec.encode(Frame.message(Message.of("test.pile", new byte[1000])));
            // each write brings max.fds + 1 descriptors (as if with shared parameters), a frame that takes none
            int[] cuts = {0, 40, 60, 80};
            for (int i = 0; i + 1 < cuts.length; i++) {
                List<FileInputStream> files = openFiles("pile", LIMITS.maxFileDescriptors() + 1);
                try {
                    raw.setOutboundFileDescriptors(files.stream().map(StreamConnectionTest::fd)
                            .toArray(FileDescriptor[]::new));
                    raw.getOutputStream().write(frame, cuts[i], cuts[i + 1] - cuts[i]);
                } finally {
                    closeAll(files);
                }
            }
            raw.getChannel().shutdownOutput(); // the frame never completes
            FrameException refused = assertThrows(FrameException.class, strict::read);
            // refused by whichever check sees it first: the reader's (descriptors with a frame's later bytes) or
            // the connection's (more descriptors waiting than two frames may bring)
            assertTrue(refused.getMessage().contains("arrived in the middle of a frame's parameters")
                    || refused.getMessage().contains("descriptors kept coming before a frame took them"),
                    refused.getMessage());
        } finally {
            strict.close();
            strict.releaseReceived();
            raw.close();
        }
        assertEquals(List.of(), openIn(dir), "every descriptor received is closed with the connection");
    }

    private List<FileInputStream> openFiles(String content, int count) throws IOException {
        Path file = Files.writeString(dir.resolve(content), content);
        List<FileInputStream> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(new FileInputStream(file.toFile()));
        }
        return files;
    }

    private static FileDescriptor fd(FileInputStream in) {
        try {
            return in.getFD();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeAll(List<FileInputStream> files) throws IOException {
        for (FileInputStream file : files) {
            file.close();
        }
    }

    /** What this process's descriptors open in {@code directory}. */
    private static List<String> openIn(Path directory) throws IOException {
        return OpenDescriptors.under(directory);
    }

    private static String contentOf(FileDescriptor fd) throws IOException {
        try (FileInputStream in = new FileInputStream(fd)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
