package dev.berth.exec.attach;

import java.io.IOException;

/**
 * The stdio of one attached process as an {@link AttachSession} uses it: output arrives as
 * packets of one stream byte ({@link #STDOUT} or {@link #STDERR}, conmon's numbering) followed by
 * data, and the client's input goes to the process's stdin. conmon's attach socket is one such
 * stdio; the pipes of an exec the worker runs itself are another.
 */
public interface ProcessStdio extends AutoCloseable {
    int STDOUT = 2;
    int STDERR = 3;

    /** Reads one packet into the buffer; returns its length, or -1 once the output has ended. */
    int receive(byte[] packet) throws IOException;

    /**
     * Reads one packet only if it has already arrived: its length, 0 when none is waiting, -1
     * once the output has ended. Stdio that cannot tell says 0, and each packet then travels alone.
     */
    default int receiveIfReady(byte[] packet) throws IOException {
        return 0;
    }

    /**
     * The length of a packet that filled the sender's read buffer, which tells that the process
     * has more output waiting; 0 when the stdio cannot tell.
     */
    default int fullPacket() {
        return 0;
    }

    /** Writes the client's input to the process's stdin. */
    void send(byte[] data, int length) throws IOException;

    /** Closes the process's stdin; its output still arrives. */
    void shutdownOutput() throws IOException;

    /** Wakes a blocked {@link #receive} with the end of output: the client has gone. */
    void abort();

    @Override
    void close();
}
