package dev.berth.graph.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tar archives by hand in memory, hostile ones included. */
public final class TarBuilder {
    public static final Instant TIME = Instant.parse("2024-05-01T12:00:00Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    public TarBuilder() {
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    private TarArchiveEntry entry(String name, byte flag) {
        TarArchiveEntry entry = new TarArchiveEntry(name, flag, true);
        entry.setModTime(TIME.toEpochMilli());
        entry.setUserId(0);
        entry.setGroupId(0);
        return entry;
    }

    private TarBuilder put(TarArchiveEntry entry, byte[] data) {
        try {
            tar.putArchiveEntry(entry);
            if (data != null) {
                tar.write(data);
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public TarBuilder dir(String name) {
        return dir(name, 0755);
    }

    public TarBuilder dir(String name, int mode) {
        TarArchiveEntry entry = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        entry.setMode(mode);
        return put(entry, null);
    }

    public TarBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
    }

    public TarBuilder file(String name, byte[] content, int mode, int uid, int gid) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL);
        entry.setMode(mode);
        entry.setSize(content.length);
        entry.setUserId(uid);
        entry.setGroupId(gid);
        return put(entry, content);
    }

    public TarBuilder fileWithXattrs(String name, String content, Map<String, String> xattrs) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL);
        entry.setMode(0644);
        entry.setSize(data.length);
        xattrs.forEach((k, v) -> entry.addPaxHeader("SCHILY.xattr." + k, v));
        return put(entry, data);
    }

    /** A file entry that claims a size but carries other data (for bombs, set a huge size). */
    public TarBuilder fileHeaderOnly(String name, long size) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL);
        entry.setMode(0644);
        entry.setSize(size);
        try {
            tar.putArchiveEntry(entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public TarBuilder symlink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        entry.setMode(0777);
        return put(entry, null);
    }

    public TarBuilder hardlink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_LINK);
        entry.setLinkName(target);
        entry.setMode(0644);
        return put(entry, null);
    }

    public TarBuilder charDevice(String name, int major, int minor) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_CHR);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
        entry.setMode(0666);
        return put(entry, null);
    }

    public TarBuilder blockDevice(String name, int major, int minor) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_BLK);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
        entry.setMode(0660);
        return put(entry, null);
    }

    public TarBuilder fifo(String name) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_FIFO);
        entry.setMode(0600);
        return put(entry, null);
    }

    public byte[] build() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Raw bytes without finishing the archive (for truncation tests). */
    public byte[] unfinished() {
        try {
            tar.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
