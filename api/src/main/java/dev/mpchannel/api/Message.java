package dev.mpchannel.api;

import java.io.FileDescriptor;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * An immutable message: the name of the action that handles it on the other side, parameter bytes, and file
 * descriptors to pass along (SCM_RIGHTS).
 * <p>
 * Ownership of file descriptors: the channel never closes the descriptors of a message you send or request with;
 * they are duplicated into the peer by the kernel while the call writes the message, so you may close them as
 * soon as it returns. Descriptors that arrive with a message stay the channel's until the action it is handed to
 * {@linkplain ActionContext#takeFileDescriptors() takes} them (the channel closes them when the action ends
 * otherwise); those of a reply belong to the requester; the channel closes the ones that reach nobody.
 * <pre>{@code
 * try (FileInputStream region = new FileInputStream("/dev/shm/pool")) {
 *     channel.send(Message.of("mem.map", "pool 2 MiB").withFileDescriptors(region.getFD()));
 * }
 * }</pre>
 */
public final class Message {
    /** The longest action name, in UTF-8 bytes (DPDK's RTE_MP_MAX_NAME_LEN). */
    public static final int MAX_NAME_BYTES = 64;
    /** The most file descriptors the kernel passes in one message (SCM_MAX_FD); the channel's limit may be lower. */
    public static final int MAX_FILE_DESCRIPTORS = 253;

    private final String action;
    private final ByteBuffer params; // read-only, position 0; never handed out without duplicate()
    private final List<FileDescriptor> fileDescriptors;

    private Message(String action, ByteBuffer params, List<FileDescriptor> fileDescriptors) {
        this.action = action;
        this.params = params;
        this.fileDescriptors = fileDescriptors;
    }

    /**
     * A message with no parameters.
     *
     * @throws IllegalArgumentException if the name is empty or longer than {@value #MAX_NAME_BYTES} UTF-8 bytes
     */
    public static Message of(String action) {
        return of(action, new byte[0]);
    }

    /** A message whose parameters are the UTF-8 bytes of {@code params}. */
    public static Message of(String action, String params) {
        return of(action, params.getBytes(StandardCharsets.UTF_8));
    }

    /** A message whose parameters are a copy of {@code params}. */
    public static Message of(String action, byte[] params) {
        checkName(action);
        return new Message(action, ByteBuffer.wrap(params.clone()).asReadOnlyBuffer(), List.of());
    }

    /**
     * A message whose parameters are the remaining bytes of {@code params}, without a copy: the message keeps a
     * read-only view, so the bytes must not change afterwards. For large parameters, e.g. a mapped file.
     *
     * @since 1.1
     */
    public static Message of(String action, ByteBuffer params) {
        checkName(action);
        return new Message(action, params.slice().asReadOnlyBuffer(), List.of());
    }

    /**
     * This message with the given file descriptors attached, replacing any it had.
     *
     * @throws IllegalArgumentException if there are more than {@value #MAX_FILE_DESCRIPTORS}
     */
    public Message withFileDescriptors(FileDescriptor... fds) {
        return withFileDescriptors(List.of(fds));
    }

    /** This message with the given file descriptors attached, replacing any it had. */
    public Message withFileDescriptors(List<FileDescriptor> fds) {
        if (fds.size() > MAX_FILE_DESCRIPTORS) {
            throw new IllegalArgumentException(
                    fds.size() + " file descriptors, more than the kernel passes at once (" + MAX_FILE_DESCRIPTORS + ")");
        }
        for (FileDescriptor fd : fds) {
            if (!Objects.requireNonNull(fd, "file descriptor").valid()) {
                throw new IllegalArgumentException("file descriptor is not open: " + fd);
            }
        }
        return new Message(action, params, List.copyOf(fds));
    }

    /** The name of the action that handles this message. */
    public String action() {
        return action;
    }

    /** A copy of the parameter bytes. */
    public byte[] params() {
        byte[] copy = new byte[params.remaining()];
        params.duplicate().get(copy);
        return copy;
    }

    /** The parameter bytes, read-only and without a copy. */
    public ByteBuffer paramsBuffer() {
        return params.duplicate();
    }

    /** The parameters decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String paramsAsString() {
        return StandardCharsets.UTF_8.decode(params.duplicate()).toString();
    }

    /** How many parameter bytes there are. */
    public int paramsLength() {
        return params.remaining();
    }

    /** The attached file descriptors, in order; empty if none. */
    public List<FileDescriptor> fileDescriptors() {
        return fileDescriptors;
    }

    /**
     * Checks that {@code action} is a valid action name: 1 to {@value #MAX_NAME_BYTES} bytes of well-formed UTF-8.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static void checkName(String action) {
        Objects.requireNonNull(action, "action name");
        if (action.isEmpty()) {
            throw new IllegalArgumentException("action name is empty");
        }
        if (action.length() <= MAX_NAME_BYTES && isAscii(action)) {
            return; // the usual name, checked for every message: no encoder needed
        }
        int length;
        try {
            length = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(action)).remaining();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("action name is not valid Unicode: " + e.getMessage(), e);
        }
        if (length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(
                    "action name '" + action + "' is " + length + " UTF-8 bytes, more than " + MAX_NAME_BYTES);
        }
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Message m
                && action.equals(m.action)
                && params.equals(m.params)
                && fileDescriptors.equals(m.fileDescriptors);
    }

    @Override
    public int hashCode() {
        return 31 * action.hashCode() + params.hashCode();
    }

    @Override
    public String toString() {
        return "Message[" + action + ", " + params.remaining() + " bytes"
                + (fileDescriptors.isEmpty() ? "" : ", " + fileDescriptors.size() + " fds") + "]";
    }
}
