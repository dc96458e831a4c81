package dev.berth.host;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

/**
 * The libc functions Berth calls directly. Public only because JNR generates its implementation in
 * another class loader; the rest of the engine uses the plain interfaces of this package, so that
 * JNR stays in one corner. ArchUnit rules keep other modules from importing it.
 */
public interface LibC {
    @SaveError
    int mount(String source, String target, String fstype, long flags, String data);

    @SaveError
    int umount2(String target, int flags);

    @SaveError
    int mknod(String path, int mode, long dev);

    @SaveError
    int lchown(String path, int uid, int gid);

    @SaveError
    int chmod(String path, int mode);

    @SaveError
    int mkfifo(String path, int mode);

    @SaveError
    int lsetxattr(String path, String name, @In byte[] value, long size, int flags);

    @SaveError
    long lgetxattr(String path, String name, @Out byte[] value, long size);

    /** Names of the path's extended attributes, each ended by a NUL. */
    @SaveError
    long llistxattr(String path, @Out byte[] list, long size);

    /** times: {atime sec, atime nsec, mtime sec, mtime nsec}. */
    @SaveError
    int utimensat(int dirfd, String path, @In long[] times, int flags);

    @SaveError
    int kill(int pid, int sig);

    /** rlim: {soft, hard}. */
    @SaveError
    int getrlimit(int resource, @Out long[] rlim);

    @SaveError
    int unshare(int flags);

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int connect(int fd, @In byte[] addr, int len);

    @SaveError
    long send(int fd, @In byte[] buf, long len, int flags);

    @SaveError
    long recv(int fd, @Out byte[] buf, long len, int flags);

    @SaveError
    int shutdown(int fd, int how);

    @SaveError
    int close(int fd);

    @SaveError
    @Variadic(fixedCount = 2)
    int open(String path, int flags, int mode);

    @SaveError
    @Variadic(fixedCount = 2)
    int ioctl(int fd, long request, @In @Out byte[] arg);

    @SaveError
    long read(int fd, @Out byte[] buf, long count);

    @SaveError
    long write(int fd, @In byte[] buf, long count);

    /** fds: struct pollfd entries of 8 bytes each {int fd; short events; short revents}. */
    @SaveError
    int poll(@In @Out byte[] fds, long nfds, int timeout);

    @SaveError
    int statfs(String path, @Out byte[] buf);

    @SaveError
    int uname(@Out byte[] buf);

    String strerror(int errnum);

    @SaveError
    int setns(int fd, int nstype);

    @SaveError
    int memfd_create(String name, int flags);

    /** Only for commands that take an int argument (F_ADD_SEALS). */
    @SaveError
    int fcntl(int fd, int cmd, int arg);
}
