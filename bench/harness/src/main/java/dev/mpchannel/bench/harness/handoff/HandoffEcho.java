package dev.mpchannel.bench.harness.handoff;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The responder of the hand-off benchmark ({@link HandoffBench}): accepts on a Unix domain socket (the JDK's
 * SocketChannel) and gives each connection a thread that reads a 64-byte frame and writes it back, blocking, until
 * the peer closes. It runs until it is stopped.
 *
 * <pre>
 *   HandoffEcho SOCKET
 * </pre>
 */
public final class HandoffEcho {
    private HandoffEcho() {
    }

    public static void main(String[] args) throws IOException {
        Path socket = Path.of(args[0]);
        Files.deleteIfExists(socket);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            System.out.println("LISTENING");
            System.out.flush();
            for (int n = 1;; n++) {
                SocketChannel connection = server.accept();
                Thread echo = new Thread(() -> echo(connection), "echo-" + n);
                echo.setDaemon(true);
                echo.start();
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private static void echo(SocketChannel connection) {
        ByteBuffer frame = ByteBuffer.allocateDirect(EchoFrames.SIZE);
        try (connection) {
            while (EchoFrames.readFully(connection, frame)) {
                frame.flip();
                EchoFrames.writeFully(connection, frame);
            }
        } catch (IOException e) {
            System.err.println("echo: " + e);
        }
    }
}
