package dev.mpchannel.bench.harness;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.newsclub.net.unix.AFUNIXSocket;

/** junixsocket's connection, which is what mpchannel is built on: it can pass a descriptor with a frame. */
final class JunixsocketConnection extends FramedConnection {
    private static final FileDescriptor[] NONE = new FileDescriptor[0];
    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;

    JunixsocketConnection(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        socket.setAncillaryReceiveBufferSize(1024); // before the first read, or descriptors are dropped
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, len);
    }

    @Override
    void write(byte[] b, int len, FileDescriptor fd) throws IOException {
        if (fd == null) {
            out.write(b, 0, len);
            return;
        }
        socket.setOutboundFileDescriptors(fd);
        try {
            out.write(b, 0, len);
        } finally {
            socket.setOutboundFileDescriptors(NONE);
        }
    }

    @Override
    int closeReceived() throws IOException {
        FileDescriptor[] fds = socket.getReceivedFileDescriptors();
        if (fds == null) {
            return 0;
        }
        for (FileDescriptor fd : fds) {
            new FileInputStream(fd).close();
        }
        return fds.length;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
