package dev.mpchannel.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.wire.Frame;
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

    private static String contentOf(FileDescriptor fd) throws IOException {
        try (FileInputStream in = new FileInputStream(fd)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
