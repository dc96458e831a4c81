package dev.berth.log.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Which kept log file begins in the middle of a line. conmon splits a line it reads in pieces
 * (P records) wherever its buffer ends; when max-file drops the oldest file and that file ended
 * with a P record, the file that is now the oldest begins with the rest of a line whose start is
 * gone. dockerd never shows such a fragment (its files hold whole messages), so readers skip it.
 * Only the oldest file can begin that way, so one note beside the log says which file (by its
 * key, which renames keep) and which stream: {@code <live>.midline}.
 */
public final class MidLineStart {
    /** The file that begins mid-line, and the stream (K8sLogFormat.STDOUT or STDERR) of the cut line. */
    public record Note(String fileKey, int stream) {
    }

    private static final int TAIL = 64 * 1024;

    private MidLineStart() {
    }

    static Path notePath(Path live) {
        return live.resolveSibling(live.getFileName() + ".midline");
    }

    /**
     * Called as {@code dropped} is about to be deleted and {@code next} becomes the oldest file:
     * notes {@code next} when {@code dropped} ends with a piece of a line, and forgets any older
     * note otherwise.
     */
    static void beforeDropping(Path live, Path dropped, Path next) throws IOException {
        Path note = notePath(live);
        int stream = streamOfTrailingPiece(dropped);
        Object nextKey = LogSegments.keyOf(next);
        if (stream == 0 || nextKey == null) {
            Files.deleteIfExists(note);
            return;
        }
        Path temp = note.resolveSibling(note.getFileName() + ".tmp");
        Files.writeString(temp, nextKey + "\n" + stream + "\n", StandardCharsets.UTF_8);
        Files.move(temp, note, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The note, when the file with this key is the one that begins mid-line; null otherwise. */
    public static Note of(Path live, Object fileKey) throws IOException {
        if (fileKey == null) {
            return null;
        }
        String text;
        try {
            text = Files.readString(notePath(live), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        String[] lines = text.split("\n");
        if (lines.length < 2 || !lines[0].equals(fileKey.toString())) {
            return null;
        }
        return new Note(lines[0], Integer.parseInt(lines[1].trim()));
    }

    /** The stream of the file's last record when that record is a P piece; 0 when it ends a line. */
    static int streamOfTrailingPiece(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            int length = (int) Math.min(size, TAIL);
            if (length == 0) {
                return 0;
            }
            byte[] block = new byte[length];
            ByteBuffer view = ByteBuffer.wrap(block);
            long at = size - length;
            while (view.hasRemaining()) {
                int n = channel.read(view, at + view.position());
                if (n < 0) {
                    break;
                }
            }
            int end = block.length - 1;
            if (block[end] != '\n') {
                return 0;
            }
            int start = end - 1;
            while (start >= 0 && block[start] != '\n') {
                start--;
            }
            K8sLogFormat.Header header = new K8sLogFormat.Header();
            if (!K8sLogFormat.parseHeader(block, start + 1, end, header)) {
                return 0;
            }
            return header.partial() ? header.stream() : 0;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
