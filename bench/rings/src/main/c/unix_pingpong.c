/* C's AF_UNIX stream round trip between two processes (socketpair + fork), 64-byte messages: the baseline a ring whose
 * reader parks on its doorbell is judged against. Prints the mean round trip in nanoseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int full(int fd, char *buf, int n, int out) {
    int done = 0;
    while (done < n) {
        int r = out ? write(fd, buf + done, n - done) : read(fd, buf + done, n - done);
        if (r <= 0) return -1;
        done += r;
    }
    return 0;
}

int main(int argc, char **argv) {
    long rounds = argc > 1 ? atol(argv[1]) : 100000;
    int sv[2];
    char buf[64] = {0};
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) { perror("socketpair"); return 1; }
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        while (full(sv[1], buf, 64, 0) == 0 && full(sv[1], buf, 64, 1) == 0) { }
        _exit(0);
    }
    close(sv[1]);
    for (long i = 0; i < rounds / 10; i++) { full(sv[0], buf, 64, 1); full(sv[0], buf, 64, 0); }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < rounds; i++) { full(sv[0], buf, 64, 1); full(sv[0], buf, 64, 0); }
    clock_gettime(CLOCK_MONOTONIC, &b);
    close(sv[0]);
    waitpid(child, NULL, 0);
    printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / rounds);
    return 0;
}
