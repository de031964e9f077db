/*
 * pingpong.c: the physical limit for mpchannel's benchmark, AF_UNIX between two processes in plain C.
 * Compiled by the harness at run time (gcc -O2) and run once per workload; prints RESULT lines.
 *
 *   pingpong rtt    stream|seqpacket SIZE WARMUP ITERS REPS fd|nofd
 *       round trip of SIZE bytes each way; with fd, one descriptor rides each way: the receiver closes the one
 *       it got, and the echo side opens a fresh one (/dev/null) for its reply and closes it once sent, which is
 *       what mpchannel's bench.fd action has to do (the channel closes a reply's descriptors once written)
 *   pingpong oneway stream|seqpacket SIZE COUNT REPS
 *       COUNT messages of SIZE bytes, one write each, then one ack from the receiver: messages/s per repetition
 *   pingpong fanout stream N WARMUP ITERS
 *       one parent, N child processes: SIZE 64 to all, then the 64-byte answer of each: time to the last answer
 *   pingpong memcpy SIZE WARMUP ITERS
 *       memcpy of SIZE bytes between two buffers of this process (touched beforehand): what a copy costs, the
 *       reference for the large parameters that travel through shared memory
 *
 * The two sides are a parent and a forked child on a socketpair(2): the same kernel path as a bound socket,
 * without a file to clean up. Both inherit the caller's CPU affinity (taskset -c 1 pins both to one core).
 *
 * Output, read by the harness (Result.java): latencies as raw nanosecond samples, 32 to a line,
 * "SAMPLES <impl> <workload> <ns> ...", which the harness records in an HdrHistogram (nothing is sorted here);
 * throughput as "RESULT <impl> <workload> <median> <slowest> msg/s <repetitions>"; for the round trips and the
 * one-way runs "CTXSW <impl> <workload> <operations> <vol> <invol> <vol> <invol>", the context switches of the
 * requesting parent and of the answering child over the measured operations (/proc/PID/status: one thread each).
 * impl is c-stream, c-seqpacket or c-memcpy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
    perror(what);
    exit(2);
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The samples as SAMPLES lines, 32 to a line. */
static void print_samples(const char *impl, const char *key, const uint64_t *samples, long n) {
    for (long i = 0; i < n; i += 32) {
        printf("SAMPLES %s %s", impl, key);
        for (long j = i; j < n && j < i + 32; j++) printf(" %llu", (unsigned long long)samples[j]);
        printf("\n");
    }
}

/* A process's context switches so far: {voluntary, involuntary} from /proc/PID/status (0, 0 if unreadable). */
static void ctxsw(pid_t pid, long long out[2]) {
    char path[64], line[256];
    out[0] = out[1] = 0;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "voluntary_ctxt_switches:", 24) == 0) out[0] = atoll(line + 24);
        if (strncmp(line, "nonvoluntary_ctxt_switches:", 27) == 0) out[1] = atoll(line + 27);
    }
    fclose(f);
}

static void print_ctxsw(const char *impl, const char *key, long ops, const long long self0[2], pid_t child,
                        const long long child0[2]) {
    long long self1[2], child1[2];
    ctxsw(getpid(), self1);
    ctxsw(child, child1);
    printf("CTXSW %s %s %ld %lld %lld %lld %lld\n", impl, key, ops, self1[0] - self0[0], self1[1] - self0[1],
           child1[0] - child0[0], child1[1] - child0[1]);
}

/* Writes len bytes; with fd >= 0 the descriptor rides with the first byte (SCM_RIGHTS). */
static void send_all(int s, const char *buf, size_t len, int fd) {
    size_t done = 0;
    while (done < len) {
        struct iovec iov = {.iov_base = (char *)buf + done, .iov_len = len - done};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        union {
            char buf[CMSG_SPACE(sizeof(int))];
            struct cmsghdr align;
        } control;
        if (fd >= 0 && done == 0) {
            memset(&control, 0, sizeof control);
            msg.msg_control = control.buf;
            msg.msg_controllen = sizeof control.buf;
            struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        ssize_t n = sendmsg(s, &msg, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("sendmsg");
        }
        done += (size_t)n;
    }
}

/* Reads exactly len bytes (stream) or one message (seqpacket); closes every descriptor that came along.
 * Returns 0 at end of stream before any byte, 1 otherwise. */
static int recv_all(int s, char *buf, size_t len, int seqpacket, int *fds_closed) {
    size_t done = 0;
    while (done < len) {
        struct iovec iov = {.iov_base = buf + done, .iov_len = len - done};
        union {
            char buf[CMSG_SPACE(sizeof(int) * 8)];
            struct cmsghdr align;
        } control;
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                             .msg_controllen = sizeof control.buf};
        ssize_t n = recvmsg(s, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("recvmsg");
        }
        if (n == 0) {
            if (done == 0) return 0;
            fprintf(stderr, "pingpong: end of stream inside a message\n");
            exit(2);
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                for (int i = 0; i < count; i++) {
                    int fd;
                    memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                    close(fd);
                    if (fds_closed) (*fds_closed)++;
                }
            }
        }
        done += (size_t)n;
        if (seqpacket) break;
    }
    return 1;
}

static int socket_type(const char *name) {
    if (strcmp(name, "stream") == 0) return SOCK_STREAM;
    if (strcmp(name, "seqpacket") == 0) return SOCK_SEQPACKET;
    fprintf(stderr, "pingpong: socket type must be stream or seqpacket, not %s\n", name);
    exit(2);
}

static pid_t spawn(int pair[2], int type) {
    if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, pair) < 0) die("socketpair");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    return pid;
}

static void reap(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
}

/* ---- round trip ------------------------------------------------------------------------------------------ */

static int rtt(int type, size_t size, long warmup, long iters, long reps, int with_fd, const char *impl,
               const char *key) {
    int pair[2];
    int seq = type == SOCK_SEQPACKET;
    char *buf = malloc(size);
    if (!buf) die("malloc");
    memset(buf, 'x', size);
    pid_t child = spawn(pair, type);
    if (child == 0) { /* echo side */
        close(pair[0]);
        int s = pair[1];
        int got = 0;
        while (recv_all(s, buf, size, seq, &got)) {
            int reply_fd = -1;
            if (with_fd) {
                reply_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
                if (reply_fd < 0) die("open");
            }
            send_all(s, buf, size, reply_fd);
            if (reply_fd >= 0) close(reply_fd);
        }
        _exit(0);
    }
    close(pair[1]);
    int s = pair[0];
    int my_fd = with_fd ? open("/dev/null", O_RDONLY | O_CLOEXEC) : -1; /* kept: the kernel duplicates it */
    long total = iters * reps;
    uint64_t *samples = malloc(sizeof(uint64_t) * (size_t)total);
    if (!samples) die("malloc");
    int got = 0;
    for (long i = 0; i < warmup; i++) {
        send_all(s, buf, size, my_fd);
        recv_all(s, buf, size, seq, &got);
    }
    long long self0[2], child0[2];
    ctxsw(getpid(), self0);
    ctxsw(child, child0);
    for (long i = 0; i < total; i++) {
        uint64_t t0 = now_ns();
        send_all(s, buf, size, my_fd);
        recv_all(s, buf, size, seq, &got);
        samples[i] = now_ns() - t0;
    }
    print_ctxsw(impl, key, total, self0, child, child0);
    if (with_fd && got != warmup + total) {
        fprintf(stderr, "pingpong: %d descriptors came back, expected %ld\n", got, warmup + total);
        return 1;
    }
    shutdown(s, SHUT_WR);
    reap(child);
    print_samples(impl, key, samples, total);
    return 0;
}

/* ---- one-way throughput ---------------------------------------------------------------------------------- */

static int oneway(int type, size_t size, long count, long reps, const char *impl, const char *key) {
    int pair[2];
    int seq = type == SOCK_SEQPACKET;
    pid_t child = spawn(pair, type);
    if (child == 0) { /* receiver: reads COUNT messages, then acks */
        close(pair[0]);
        int s = pair[1];
        size_t chunk = seq ? size : 65536;
        char *buf = malloc(chunk);
        for (long r = 0; r < reps; r++) {
            if (seq) {
                for (long i = 0; i < count; i++) {
                    ssize_t n = recv(s, buf, size, 0);
                    if (n <= 0) die("recv");
                }
            } else {
                size_t want = size * (size_t)count, got = 0;
                while (got < want) {
                    size_t ask = want - got < chunk ? want - got : chunk;
                    ssize_t n = recv(s, buf, ask, 0);
                    if (n <= 0) die("recv");
                    got += (size_t)n;
                }
            }
            char ack = 'a';
            if (send(s, &ack, 1, MSG_NOSIGNAL) != 1) die("send ack");
        }
        _exit(0);
    }
    close(pair[1]);
    int s = pair[0];
    char *buf = malloc(size);
    memset(buf, 'x', size);
    double *rates = malloc(sizeof(double) * (size_t)reps);
    long long self0[2], child0[2];
    ctxsw(getpid(), self0);
    ctxsw(child, child0);
    for (long r = 0; r < reps; r++) {
        uint64_t t0 = now_ns();
        for (long i = 0; i < count; i++) send_all(s, buf, size, -1);
        char ack;
        if (recv(s, &ack, 1, 0) != 1) die("recv ack");
        rates[r] = (double)count * 1e9 / (double)(now_ns() - t0);
    }
    print_ctxsw(impl, key, count * reps, self0, child, child0);
    close(s);
    reap(child);
    qsort(rates, (size_t)reps, sizeof(double), cmp_dbl);
    /* median, and the slowest repetition as the tail */
    printf("RESULT %s %s %.0f %.0f msg/s %ld\n", impl, key, rates[reps / 2], rates[0], reps);
    return 0;
}

/* ---- fan-out --------------------------------------------------------------------------------------------- */

static int fanout(long n, long warmup, long iters, const char *key) {
    const size_t size = 64;
    int *socks = malloc(sizeof(int) * (size_t)n);
    pid_t *kids = malloc(sizeof(pid_t) * (size_t)n);
    char buf[64];
    memset(buf, 'x', sizeof buf);
    for (long k = 0; k < n; k++) {
        int pair[2];
        pid_t child = spawn(pair, SOCK_STREAM);
        if (child == 0) {
            for (long j = 0; j < k; j++) close(socks[j]); /* only its own socket */
            close(pair[0]);
            while (recv_all(pair[1], buf, size, 0, NULL)) send_all(pair[1], buf, size, -1);
            _exit(0);
        }
        close(pair[1]);
        socks[k] = pair[0];
        kids[k] = child;
    }
    uint64_t *samples = malloc(sizeof(uint64_t) * (size_t)iters);
    for (long i = -warmup; i < iters; i++) {
        uint64_t t0 = now_ns();
        for (long k = 0; k < n; k++) send_all(socks[k], buf, size, -1);
        for (long k = 0; k < n; k++) recv_all(socks[k], buf, size, 0, NULL);
        if (i >= 0) samples[i] = now_ns() - t0;
    }
    for (long k = 0; k < n; k++) close(socks[k]);
    for (long k = 0; k < n; k++) reap(kids[k]);
    print_samples("c-stream", key, samples, iters);
    return 0;
}

/* ---- memcpy ---------------------------------------------------------------------------------------------- */

static int copy(size_t size, long warmup, long iters, const char *key) {
    char *src = malloc(size), *dst = malloc(size);
    uint64_t *samples = malloc(sizeof(uint64_t) * (size_t)(iters > 0 ? iters : 1));
    if (!src || !dst || !samples) die("malloc");
    memset(src, 'x', size);
    memset(dst, 0, size);
    for (long i = -warmup; i < iters; i++) {
        uint64_t t0 = now_ns();
        memcpy(dst, src, size);
        __asm__ __volatile__("" : : "r"(dst) : "memory"); /* the copy is used */
        if (i >= 0) samples[i] = now_ns() - t0;
        src[i & 63] ^= dst[(i + 1) & 63]; /* and the next one is not the same */
    }
    print_samples("c-memcpy", key, samples, iters);
    return 0;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 8 && strcmp(argv[1], "rtt") == 0) {
        int type = socket_type(argv[2]);
        size_t size = strtoul(argv[3], NULL, 10);
        int with_fd = strcmp(argv[7], "fd") == 0;
        char impl[64], key[128];
        snprintf(impl, sizeof impl, "c-%s", argv[2]);
        snprintf(key, sizeof key, "%s-%zu", with_fd ? "rtt-fd" : "rtt", size);
        return rtt(type, size, atol(argv[4]), atol(argv[5]), atol(argv[6]), with_fd, impl, key);
    }
    if (argc >= 6 && strcmp(argv[1], "oneway") == 0) {
        char impl[64], key[128];
        snprintf(impl, sizeof impl, "c-%s", argv[2]);
        snprintf(key, sizeof key, "oneway-%s", argv[3]);
        return oneway(socket_type(argv[2]), strtoul(argv[3], NULL, 10), atol(argv[4]), atol(argv[5]), impl, key);
    }
    if (argc >= 6 && strcmp(argv[1], "fanout") == 0) {
        char key[128];
        snprintf(key, sizeof key, "fanout-%s", argv[3]);
        return fanout(atol(argv[3]), atol(argv[4]), atol(argv[5]), key);
    }
    if (argc >= 5 && strcmp(argv[1], "memcpy") == 0) {
        char key[128];
        snprintf(key, sizeof key, "memcpy-%s", argv[2]);
        return copy(strtoul(argv[2], NULL, 10), atol(argv[3]), atol(argv[4]), key);
    }
    fprintf(stderr, "usage: pingpong rtt stream|seqpacket SIZE WARMUP ITERS REPS fd|nofd\n"
                    "       pingpong oneway stream|seqpacket SIZE COUNT REPS\n"
                    "       pingpong fanout stream N WARMUP ITERS\n"
                    "       pingpong memcpy SIZE WARMUP ITERS\n");
    return 2;
}
