/*
 * berth-exec: Berth's native path for `docker exec` (design.md, "exec without runc").
 *
 *   berth-exec run LAUNCH_FILE
 *       Runs one process in a running container: joins the cgroups and namespaces of the
 *       container's init process, takes the credentials, capabilities, rlimits and seccomp
 *       filter the launch file gives, and executes the command. Exits with the process's status
 *       (128 + signal after a signal). When the process could not be started, it writes runc's
 *       words for why on stderr and exits 255 without writing the pid file.
 *
 *   berth-exec standby
 *       The same, for a launch file whose path comes later as a line on stdin: the exec worker
 *       starts the next helper ahead of the exec that will use it, which takes the JVM's
 *       process spawn (1-2 ms) off the exec's path.
 *
 *   berth-exec seccomp-dump PID START_TICKS OUT_FILE
 *       Copies the seccomp filters of a created container's init process (runc installed them
 *       before it waits on its exec FIFO) into OUT_FILE, oldest first, so that every exec loads
 *       exactly the program runc compiled, instead of compiling the profile again per exec.
 *
 * The launch file holds NUL-terminated key and value pairs, written by the exec worker
 * (NativeExecLaunch): pid, start, cgroup.v1*, cgroup.v2, seccomp, nnp, uid, gid, group*, cap.bounding,
 * cap.effective, cap.permitted, cap.inheritable, cap.ambient, rlimit* ("resource soft hard"),
 * oom, umask, keyring, cwd, env*, arg*, dir, stdout, stderr, stdin. Keys marked * may repeat.
 * stdout and stderr name FIFOs the helper opens for writing and makes its own (and so the
 * process's) standard output and error; stdin "null" gives the process /dev/null, "inherit" the
 * helper's own stdin. Once the process runs, its
 * pid is written to DIR/pidfile; DIR is opened before any namespace is joined, as every other
 * host path is: after the join, a path would name a file in the container.
 *
 * Joining the cgroups costs no RCU grace period (5-10 ms each time on an idle machine, which
 * writing a pid to cgroup.procs waits for, as runc does): the v2 cgroup is entered at the fork
 * (clone3 with CLONE_INTO_CGROUP), and each v1 hierarchy by the new process itself writing 0 to
 * its "tasks" file, which moves only the calling thread (the whole process: it has one) and so
 * needs no global lock.
 *
 * Every descriptor it opens is close-on-exec, nothing in the container is read before the
 * process has joined it, and the helper stays undumpable so that a process in the container
 * cannot reach it through /proc while it still holds the host's privileges.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_LIST 4096
#define FAILED 255

struct rlimit_setting {
    int resource;
    struct rlimit limit;
};

struct launch {
    pid_t pid;
    unsigned long long start;
    char *cgroups_v1[64];
    int cgroup_v1_count;
    char *cgroup_v2;
    char *seccomp;
    int nnp;
    uid_t uid;
    gid_t gid;
    gid_t groups[256];
    int group_count;
    uint64_t cap_bounding, cap_effective, cap_permitted, cap_inheritable, cap_ambient;
    struct rlimit_setting rlimits[32];
    int rlimit_count;
    char *oom;
    mode_t umask;
    char *keyring;
    char *cwd;
    char *env[MAX_LIST];
    int env_count;
    char *args[MAX_LIST];
    int arg_count;
    char *dir;
    char *stdout_path;
    char *stderr_path;
    int stdin_null;
};

/* A filter program as the kernel takes it. */
struct filter {
    unsigned short length;
    struct sock_filter *program;
};

/* An errno in Go's words, which runc prints and Docker's CLI matches: "no such file or directory". */
static const char *go_error(int error) {
    static char text[256];
    snprintf(text, sizeof(text), "%s", strerror(error));
    if (text[0] >= 'A' && text[0] <= 'Z') {
        text[0] = (char) (text[0] - 'A' + 'a');
    }
    return text;
}

static void die(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    vfprintf(stderr, format, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(FAILED);
}

static char *read_whole(const char *path, size_t *length) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        die("exec failed: cannot open %s: %s", path, go_error(errno));
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        die("exec failed: cannot stat %s: %s", path, go_error(errno));
    }
    char *data = malloc((size_t) st.st_size + 1);
    size_t done = 0;
    while (data && done < (size_t) st.st_size) {
        ssize_t n = read(fd, data + done, (size_t) st.st_size - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            die("exec failed: cannot read %s: %s", path, n < 0 ? go_error(errno) : "short file");
        }
        done += (size_t) n;
    }
    if (!data) {
        die("exec failed: out of memory");
    }
    data[done] = '\0';
    close(fd);
    *length = done;
    return data;
}

static uint64_t number(const char *key, const char *value) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(value, &end, 10);
    if (errno || *end || end == value) {
        die("exec failed: bad %s in the launch file: %s", key, value);
    }
    return n;
}

static void parse_launch(const char *path, struct launch *l) {
    size_t length;
    char *data = read_whole(path, &length);
    memset(l, 0, sizeof(*l));
    l->umask = 022;
    char *p = data, *end = data + length;
    while (p < end) {
        char *key = p;
        p += strlen(p) + 1;
        if (p >= end) {
            die("exec failed: the launch file ends after key %s", key);
        }
        char *value = p;
        p += strlen(p) + 1;
        if (!strcmp(key, "pid")) {
            l->pid = (pid_t) number(key, value);
        } else if (!strcmp(key, "start")) {
            l->start = number(key, value);
        } else if (!strcmp(key, "cgroup.v1")) {
            if (l->cgroup_v1_count == 64) {
                die("exec failed: more than 64 cgroup hierarchies in the launch file");
            }
            l->cgroups_v1[l->cgroup_v1_count++] = value;
        } else if (!strcmp(key, "cgroup.v2")) {
            l->cgroup_v2 = value;
        } else if (!strcmp(key, "seccomp")) {
            l->seccomp = value;
        } else if (!strcmp(key, "nnp")) {
            l->nnp = 1;
        } else if (!strcmp(key, "uid")) {
            l->uid = (uid_t) number(key, value);
        } else if (!strcmp(key, "gid")) {
            l->gid = (gid_t) number(key, value);
        } else if (!strcmp(key, "group")) {
            if (l->group_count == 256) {
                die("exec failed: more than 256 additional groups in the launch file");
            }
            l->groups[l->group_count++] = (gid_t) number(key, value);
        } else if (!strcmp(key, "cap.bounding")) {
            l->cap_bounding = number(key, value);
        } else if (!strcmp(key, "cap.effective")) {
            l->cap_effective = number(key, value);
        } else if (!strcmp(key, "cap.permitted")) {
            l->cap_permitted = number(key, value);
        } else if (!strcmp(key, "cap.inheritable")) {
            l->cap_inheritable = number(key, value);
        } else if (!strcmp(key, "cap.ambient")) {
            l->cap_ambient = number(key, value);
        } else if (!strcmp(key, "rlimit")) {
            if (l->rlimit_count == 32) {
                die("exec failed: more than 32 rlimits in the launch file");
            }
            struct rlimit_setting *r = &l->rlimits[l->rlimit_count++];
            unsigned long long soft, hard;
            if (sscanf(value, "%d %llu %llu", &r->resource, &soft, &hard) != 3) {
                die("exec failed: bad rlimit in the launch file: %s", value);
            }
            r->limit.rlim_cur = soft;
            r->limit.rlim_max = hard;
        } else if (!strcmp(key, "oom")) {
            l->oom = value;
        } else if (!strcmp(key, "umask")) {
            l->umask = (mode_t) number(key, value);
        } else if (!strcmp(key, "keyring")) {
            l->keyring = value;
        } else if (!strcmp(key, "cwd")) {
            l->cwd = value;
        } else if (!strcmp(key, "env")) {
            if (l->env_count == MAX_LIST - 1) {
                die("exec failed: more than %d variables in the launch file", MAX_LIST - 1);
            }
            l->env[l->env_count++] = value;
        } else if (!strcmp(key, "arg")) {
            if (l->arg_count == MAX_LIST - 1) {
                die("exec failed: more than %d arguments in the launch file", MAX_LIST - 1);
            }
            l->args[l->arg_count++] = value;
        } else if (!strcmp(key, "dir")) {
            l->dir = value;
        } else if (!strcmp(key, "stdout")) {
            l->stdout_path = value;
        } else if (!strcmp(key, "stderr")) {
            l->stderr_path = value;
        } else if (!strcmp(key, "stdin")) {
            l->stdin_null = !strcmp(value, "null");
        } else {
            die("exec failed: unknown key %s in the launch file", key);
        }
    }
    if (l->pid <= 0 || l->arg_count == 0 || !l->cwd || !l->dir) {
        die("exec failed: the launch file lacks pid, cwd, dir or arg");
    }
}

/* Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot. */
static unsigned long long start_ticks(pid_t pid) {
    char path[64], buffer[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    ssize_t n = read(fd, buffer, sizeof(buffer) - 1);
    close(fd);
    if (n <= 0) {
        return 0;
    }
    buffer[n] = '\0';
    char *p = strrchr(buffer, ')');
    if (!p) {
        return 0;
    }
    p += 2; /* state is field 3 */
    for (int field = 3; field < 22 && p; field++) {
        p = strchr(p, ' ');
        if (p) {
            p++;
        }
    }
    return p ? strtoull(p, NULL, 10) : 0;
}

/*
 * A pidfd of the container's init process, checked to be the very process the runtime started
 * (a pid can be reused once it has gone); the pidfd keeps naming that process from here on.
 */
static int open_container_process(pid_t pid, unsigned long long start) {
    int pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        die("exec failed: the container's process %d is gone: %s", pid, go_error(errno));
    }
    if (start_ticks(pid) != start) {
        die("exec failed: the container's process %d is gone", pid);
    }
    return pidfd;
}

/* Joins the init's namespaces through /proc/PID/ns, all opened before the first is joined. */
static void join_one_by_one(pid_t pid, unsigned long long start) {
    static const char *names[] = {"ipc", "uts", "net", "pid", "cgroup", "mnt"};
    int fds[6];
    for (int i = 0; i < 6; i++) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, names[i]);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) {
            die("exec failed: cannot open %s: %s", path, go_error(errno));
        }
    }
    /* The files were opened while the pid still named the container's init. */
    if (start_ticks(pid) != start) {
        die("exec failed: the container's process %d is gone", pid);
    }
    for (int i = 0; i < 6; i++) {
        if (setns(fds[i], 0) < 0) {
            die("exec failed: unable to join the container's %s namespace: %s", names[i], go_error(errno));
        }
        close(fds[i]);
    }
}

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        die("exec failed: cannot open %s: %s", path, go_error(errno));
    }
    size_t length = strlen(text);
    if (write(fd, text, length) != (ssize_t) length) {
        die("exec failed: cannot write %s: %s", path, go_error(errno));
    }
    close(fd);
}

static struct filter *read_filters(const char *path, int *count) {
    size_t length;
    char *data = read_whole(path, &length);
    static struct filter filters[16];
    size_t offset = 0;
    *count = 0;
    while (offset < length) {
        uint32_t instructions;
        if (length - offset < sizeof(instructions) || *count == 16) {
            die("exec failed: the seccomp file %s is damaged", path);
        }
        memcpy(&instructions, data + offset, sizeof(instructions));
        offset += sizeof(instructions);
        size_t bytes = (size_t) instructions * sizeof(struct sock_filter);
        if (instructions == 0 || instructions > BPF_MAXINSNS || length - offset < bytes) {
            die("exec failed: the seccomp file %s is damaged", path);
        }
        filters[*count].length = (unsigned short) instructions;
        filters[*count].program = (struct sock_filter *) (data + offset);
        offset += bytes;
        (*count)++;
    }
    return filters;
}

static int install_filters(struct filter *filters, int count) {
    for (int i = 0; i < count; i++) {
        struct sock_fprog program = {.len = filters[i].length, .filter = filters[i].program};
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Report from the child to the parent: why the process could not be started. */
static void fail_child(int report, const char *format, ...) {
    char message[4096];
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(message, sizeof(message), format, ap);
    va_end(ap);
    if (n > 0) {
        ssize_t ignored = write(report, message, (size_t) (n < (int) sizeof(message) ? n : (int) sizeof(message) - 1));
        (void) ignored;
    }
    _exit(FAILED);
}

static const char *find_env(struct launch *l, const char *name) {
    size_t length = strlen(name);
    for (int i = 0; i < l->env_count; i++) {
        if (!strncmp(l->env[i], name, length) && l->env[i][length] == '=') {
            return l->env[i] + length + 1;
        }
    }
    return NULL;
}

/* 0 when path is an executable file; else the errno a lookup reports, as Go's LookPath does. */
static int executable(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) {
        return errno;
    }
    if (!S_ISDIR(st.st_mode) && (st.st_mode & 0111)) {
        return 0;
    }
    return EACCES;
}

/* The command's path as runc finds it: as given when it has a slash, else along $PATH. */
static const char *look_path(struct launch *l, int report, char *found, size_t size) {
    const char *name = l->args[0];
    if (strchr(name, '/')) {
        int error = executable(name);
        if (error == ENOENT || error == ENOTDIR) {
            fail_child(report, "exec failed: unable to start container process: exec: \"%s\": stat %s: %s", name, name,
                    go_error(error));
        } else if (error) {
            fail_child(report, "exec failed: unable to start container process: exec: \"%s\": permission denied", name);
        }
        return name;
    }
    const char *path = find_env(l, "PATH");
    if (path && *path) {
        const char *dir = path;
        while (1) {
            const char *colon = strchr(dir, ':');
            size_t length = colon ? (size_t) (colon - dir) : strlen(dir);
            if (length == 0) {
                snprintf(found, size, "./%s", name);
            } else {
                snprintf(found, size, "%.*s/%s", (int) length, dir, name);
            }
            if (executable(found) == 0) {
                return found;
            }
            if (!colon) {
                break;
            }
            dir = colon + 1;
        }
    }
    fail_child(report, "exec failed: unable to start container process: exec: \"%s\": executable file not found in $PATH", name);
    return NULL;
}

static void set_capabilities(struct launch *l, int report) {
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    for (int i = 0; i < 2; i++) {
        data[i].effective = (uint32_t) (l->cap_effective >> (32 * i));
        data[i].permitted = (uint32_t) (l->cap_permitted >> (32 * i));
        data[i].inheritable = (uint32_t) (l->cap_inheritable >> (32 * i));
    }
    if (syscall(SYS_capset, &header, data) < 0) {
        fail_child(report, "exec failed: unable to start container process: capset: %s", go_error(errno));
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    for (int cap = 0; cap < 64; cap++) {
        if (l->cap_ambient & (1ULL << cap)) {
            /* runc ignores a capability the kernel refuses as ambient; so does Berth. */
            prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
        }
    }
}

/*
 * Moves the calling process into the container's v1 cgroups (the tasks files, opened on the
 * host), and into its v2 cgroup unless the fork already did.
 */
static void join_cgroups(int *v1_tasks, int v1_count, int v2_dir, int v2_done, int report) {
    for (int i = 0; i < v1_count; i++) {
        if (write(v1_tasks[i], "0", 1) != 1) {
            fail_child(report, "exec failed: unable to start container process: joining a cgroup: %s", go_error(errno));
        }
        close(v1_tasks[i]);
    }
    if (v2_dir >= 0 && !v2_done) {
        int procs = openat(v2_dir, "cgroup.procs", O_WRONLY | O_CLOEXEC);
        if (procs < 0 || write(procs, "0", 1) != 1) {
            fail_child(report, "exec failed: unable to start container process: joining the cgroup: %s", go_error(errno));
        }
        close(procs);
    }
}

/* In the container's namespaces and cgroups: become the process. Never returns. */
static void become_process(struct launch *l, struct filter *filters, int filter_count, int last_cap, int report) {
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    for (int sig = 1; sig < NSIG; sig++) {
        signal(sig, SIG_DFL);
    }
    if (setsid() < 0) {
        fail_child(report, "exec failed: unable to start container process: setsid: %s", go_error(errno));
    }
    if (l->keyring) {
        /* A kernel without keyrings, or a profile refusing keyctl, is no failure (as runc). */
        syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, l->keyring);
    }
    if (l->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        fail_child(report, "exec failed: unable to start container process: no_new_privs: %s", go_error(errno));
    }
    /* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: before the capabilities go. */
    if (!l->nnp && install_filters(filters, filter_count) < 0) {
        fail_child(report, "exec failed: unable to start container process: error loading seccomp filter: %s", go_error(errno));
    }
    for (int cap = 0; cap <= last_cap && cap < 64; cap++) {
        if (!(l->cap_bounding & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
            fail_child(report, "exec failed: unable to start container process: drop bounding capability %d: %s", cap,
                    go_error(errno));
        }
    }
    int cwd_done = chdir(l->cwd) == 0;
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) {
        fail_child(report, "exec failed: unable to start container process: keepcaps: %s", go_error(errno));
    }
    if (setgroups((size_t) l->group_count, l->groups) < 0) {
        fail_child(report, "exec failed: unable to start container process: setgroups: %s", go_error(errno));
    }
    if (setresgid(l->gid, l->gid, l->gid) < 0) {
        fail_child(report, "exec failed: unable to start container process: setgid %u: %s", l->gid, go_error(errno));
    }
    if (setresuid(l->uid, l->uid, l->uid) < 0) {
        fail_child(report, "exec failed: unable to start container process: setuid %u: %s", l->uid, go_error(errno));
    }
    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    set_capabilities(l, report);
    /* A directory only the process's user may enter is entered after the switch, as runc does. */
    if (!cwd_done && chdir(l->cwd) < 0) {
        fail_child(report, "exec failed: unable to start container process: chdir to cwd (\"%s\") set in config.json failed: %s",
                l->cwd, go_error(errno));
    }
    char found[PATH_MAX];
    const char *path = look_path(l, report, found, sizeof(found));
    if (l->nnp && install_filters(filters, filter_count) < 0) {
        fail_child(report, "exec failed: unable to start container process: error loading seccomp filter: %s", go_error(errno));
    }
    l->args[l->arg_count] = NULL;
    l->env[l->env_count] = NULL;
    execve(path, l->args, l->env);
    fail_child(report, "exec failed: unable to start container process: exec %s: %s", path, go_error(errno));
}

static int last_capability(void) {
    size_t length;
    char *text = read_whole("/proc/sys/kernel/cap_last_cap", &length);
    int last = atoi(text);
    free(text);
    return last > 0 ? last : 40;
}

/* Written whole under another name and renamed, so that a reader never sees half a pid. */
static void write_pidfile(int dir, pid_t pid) {
    char text[32];
    int fd = openat(dir, "pidfile.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return;
    }
    int n = snprintf(text, sizeof(text), "%d", pid);
    ssize_t ignored = write(fd, text, (size_t) n);
    (void) ignored;
    close(fd);
    renameat(dir, "pidfile.tmp", dir, "pidfile");
}

/* Makes the file at path (opened with flags) this process's descriptor target. */
static void redirect(const char *path, int flags, int target) {
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0 || dup2(fd, target) < 0) {
        die("exec failed: cannot open %s: %s", path, go_error(errno));
    }
    close(fd);
}

static int run(const char *launch_file) {
    static struct launch l;
    parse_launch(launch_file, &l);
    /* The exec's FIFOs, opened while their reader waits; errors from here on reach the client. */
    if (l.stderr_path) {
        redirect(l.stderr_path, O_WRONLY, 2);
    }
    if (l.stdout_path) {
        redirect(l.stdout_path, O_WRONLY, 1);
    }
    if (l.stdin_null) {
        redirect("/dev/null", O_RDONLY, 0);
    }
    struct filter *filters = NULL;
    int filter_count = 0;
    if (l.seccomp) {
        filters = read_filters(l.seccomp, &filter_count);
    }
    int last_cap = last_capability();
    int pidfd = open_container_process(l.pid, l.start);
    int dir = open(l.dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (dir < 0 || devnull < 0) {
        die("exec failed: cannot open %s or /dev/null: %s", l.dir, go_error(errno));
    }

    /* Inherited by the process: set here, on the host's /proc, before anything is joined. */
    umask(l.umask);
    for (int i = 0; i < l.rlimit_count; i++) {
        if (setrlimit(l.rlimits[i].resource, &l.rlimits[i].limit) < 0) {
            die("exec failed: unable to start container process: error setting rlimit type %d: %s", l.rlimits[i].resource,
                    go_error(errno));
        }
    }
    if (l.oom) {
        write_file("/proc/self/oom_score_adj", l.oom);
    }
    int v1_tasks[64];
    for (int i = 0; i < l.cgroup_v1_count; i++) {
        v1_tasks[i] = open(l.cgroups_v1[i], O_WRONLY | O_CLOEXEC);
        if (v1_tasks[i] < 0) {
            die("exec failed: cannot open %s: %s", l.cgroups_v1[i], go_error(errno));
        }
    }
    int v2_dir = -1;
    if (l.cgroup_v2) {
        v2_dir = open(l.cgroup_v2, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (v2_dir < 0) {
            die("exec failed: cannot open %s: %s", l.cgroup_v2, go_error(errno));
        }
    }
    int namespaces = CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWCGROUP;
    if (setns(pidfd, namespaces) < 0) {
        if (errno != EINVAL) {
            die("exec failed: unable to join the container's namespaces: %s", go_error(errno));
        }
        /* Kernels before 5.8 take no pidfd in setns: the namespace files, the mount one last. */
        join_one_by_one(l.pid, l.start);
    }
    close(pidfd);

    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) {
        die("exec failed: pipe: %s", go_error(errno));
    }
    int v2_done = 0;
    pid_t child = -1;
    if (v2_dir >= 0) {
        struct clone_args args = {.flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD, .cgroup = (uint64_t) v2_dir};
        child = (pid_t) syscall(SYS_clone3, &args, sizeof(args));
        v2_done = child >= 0;
    }
    if (child < 0) {
        /* No clone3 or no v2 cgroup: a plain fork, and the child enters the v2 cgroup itself. */
        child = fork();
    }
    if (child < 0) {
        die("exec failed: fork: %s", go_error(errno));
    }
    if (child == 0) {
        close(report[0]);
        join_cgroups(v1_tasks, l.cgroup_v1_count, v2_dir, v2_done, report[1]);
        become_process(&l, filters, filter_count, last_cap, report[1]);
    }
    close(report[1]);
    for (int i = 0; i < l.cgroup_v1_count; i++) {
        close(v1_tasks[i]);
    }
    char message[4096];
    size_t got = 0;
    while (got < sizeof(message) - 1) {
        ssize_t n = read(report[0], message + got, sizeof(message) - 1 - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += (size_t) n;
    }
    message[got] = '\0';
    if (got == 0) {
        write_pidfile(dir, child);
    }
    /* The process's output goes straight to the caller's pipes; this copy of them is not needed. */
    dup2(devnull, 0);
    dup2(devnull, 1);
    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            die("exec failed: wait: %s", go_error(errno));
        }
    }
    if (got > 0) {
        fprintf(stderr, "%s\n", message);
        return FAILED;
    }
    dup2(devnull, 2);
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}

static int dump_seccomp(pid_t pid, unsigned long long start, const char *out) {
    int pidfd = open_container_process(pid, start);
    if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0) {
        die("seccomp-dump: cannot attach to %d: %s", pid, go_error(errno));
    }
    if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) < 0) {
        die("seccomp-dump: cannot stop %d: %s", pid, go_error(errno));
    }
    int status;
    while (waitpid(pid, &status, __WALL) < 0) {
        if (errno != EINTR) {
            die("seccomp-dump: wait for %d: %s", pid, go_error(errno));
        }
    }
    /* Index 0 is the newest filter; the kernel runs them all, so all are kept, oldest first. */
    struct sock_filter *programs[16];
    long lengths[16];
    int count = 0;
    while (count < 16) {
        long n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *) (long) count, NULL);
        if (n < 0) {
            break;
        }
        programs[count] = calloc((size_t) n, sizeof(struct sock_filter));
        if (!programs[count] || ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *) (long) count, programs[count]) != n) {
            die("seccomp-dump: cannot read filter %d of %d: %s", count, pid, go_error(errno));
        }
        lengths[count++] = n;
    }
    int error = errno;
    ptrace(PTRACE_DETACH, pid, NULL, NULL);
    close(pidfd);
    if (count == 0) {
        die("seccomp-dump: process %d has no seccomp filter: %s", pid, go_error(error));
    }
    char temporary[PATH_MAX];
    snprintf(temporary, sizeof(temporary), "%s.tmp", out);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        die("seccomp-dump: cannot create %s: %s", temporary, go_error(errno));
    }
    for (int i = count - 1; i >= 0; i--) {
        uint32_t instructions = (uint32_t) lengths[i];
        size_t bytes = (size_t) lengths[i] * sizeof(struct sock_filter);
        if (write(fd, &instructions, sizeof(instructions)) != sizeof(instructions)
                || write(fd, programs[i], bytes) != (ssize_t) bytes) {
            unlink(temporary);
            die("seccomp-dump: cannot write %s: %s", temporary, go_error(errno));
        }
    }
    if (fsync(fd) < 0 || close(fd) < 0 || rename(temporary, out) < 0) {
        unlink(temporary);
        die("seccomp-dump: cannot write %s: %s", out, go_error(errno));
    }
    return 0;
}

int main(int argc, char **argv) {
    /* Undumpable: /proc/PID/exe and ptrace of this helper stay closed to the container. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (argc == 3 && !strcmp(argv[1], "run")) {
        return run(argv[2]);
    }
    if (argc == 2 && !strcmp(argv[1], "standby")) {
        /* One byte at a time: what follows the line on stdin is the process's input. */
        char path[PATH_MAX];
        size_t length = 0;
        while (length < sizeof(path) - 1) {
            ssize_t n = read(0, path + length, 1);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return 0; /* the daemon went away before it needed this helper */
            }
            if (path[length] == '\n') {
                break;
            }
            length++;
        }
        path[length] = '\0';
        return run(path);
    }
    if (argc == 5 && !strcmp(argv[1], "seccomp-dump")) {
        return dump_seccomp((pid_t) number("pid", argv[2]), number("start", argv[3]), argv[4]);
    }
    fprintf(stderr, "usage: berth-exec run LAUNCH_FILE | berth-exec standby | berth-exec seccomp-dump PID START_TICKS OUT_FILE\n");
    return 2;
}
