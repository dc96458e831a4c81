package dev.berth.log.file;

/** Takes the records a {@link K8sLogScanner} reads, in file order. Called on the reading thread. */
@FunctionalInterface
public interface RecordSink {
    /**
     * One record, or one piece of a record longer than the scanner's block. {@code data[offset,
     * offset + length)} is the record's data; at the end of an F record it includes the newline.
     * {@code first} and {@code last} say whether this piece starts or ends its record (both, for a
     * record read whole). Returns false to stop the scan after this piece.
     */
    boolean accept(K8sLogFormat.Header header, boolean first, boolean last, byte[] data, int offset, int length);
}
