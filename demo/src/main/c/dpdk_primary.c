/*
 * A DPDK primary for mpchannel's DPDK-wire tests and for ./demo.sh dpdk: a real EAL (no hugepages, no PCI) with a
 * few actions, driven by commands on stdin, one result line per command on stdout (flushed).
 *
 *   build: gcc dpdk_primary.c $(pkg-config --cflags --libs libdpdk) -o dpdk_primary
 *   run:   ./dpdk_primary --no-huge -m 64 --no-pci -l 0 --file-prefix NAME --vdev net_null0
 *
 * Actions: dpdk.echo (replies "dpdk pid P echoes 'PARAM'"), dpdk.fd (reads the descriptor that came, replies with
 * what it read and a memfd of its own holding "from dpdk pid P"), dpdk.slow (replies "slow #N" once a release
 * command lets it: an answer as late as a test wants, not late by a guessed time), dpdk.note (a message: prints
 * NOTE PARAM), dpdk.fds (reads every descriptor that came, replies "read N, M alike: 'FIRST'" with
 * RTE_MP_MAX_FD_NUM memfds of its own).
 * Commands: request NAME [PARAM] | requestfd NAME PARAM (a memfd holding PARAM goes along) | send NAME [PARAM] |
 * bench NAME WARMUP COUNT [SIZE] | release (lets one dpdk.slow answer go) | quit. Output: READY PID, then per
 * request "REPLY sent=N received=M ms=T" and one "MSG NAME fds=K PARAM" per reply (a descriptor's content follows
 * as " FD <content>"), per send "SENT rc=R", per note "NOTE PARAM", per release "RELEASED".
 *
 * bench (for the benchmark suite, bench/): WARMUP then COUNT requests of NAME with SIZE bytes of 'x' (default 64, at
 * most 256), one after another with rte_mp_request_sync (5 s timeout); a request fails unless every peer asked
 * answers. Prints the COUNT timed requests in nanoseconds, 32 to a line, "SAMPLES NAME ns ns ...", then
 * "BENCH NAME count=COUNT failed=F sent=S" (S: peers asked by the last request). Works as a secondary too
 * (--proc-type=secondary): its requests go to the primary.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <stdint.h>
#include <sys/mman.h>
#include <semaphore.h>
#include <rte_eal.h>

static void print_fd(int fd)
{
    char buf[200];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    buf[n > 0 ? n : 0] = 0;
    printf(" FD %s", buf);
}

static int memfd_with(const char *content)
{
    int fd = memfd_create("dpdk_primary", 0);
    if (fd >= 0 && (write(fd, content, strlen(content)) < 0 || lseek(fd, 0, SEEK_SET) < 0)) {
        close(fd);
        return -1;
    }
    return fd; /* at offset 0, so that the receiver reads it from the start */
}

static void fill(struct rte_mp_msg *msg, const char *name, const char *param)
{
    memset(msg, 0, sizeof(*msg));
    snprintf(msg->name, sizeof(msg->name), "%s", name);
    msg->len_param = (int)strlen(param);
    memcpy(msg->param, param, msg->len_param);
}

static int echo(const struct rte_mp_msg *msg, const void *peer)
{
    struct rte_mp_msg reply;
    char text[256];
    snprintf(text, sizeof(text), "dpdk pid %d echoes '%.*s'", getpid(), msg->len_param, (const char *)msg->param);
    fill(&reply, msg->name, text);
    return rte_mp_reply(&reply, peer);
}

static int read_fd(const struct rte_mp_msg *msg, const void *peer)
{
    struct rte_mp_msg reply;
    char text[256], got[120] = "";
    char mine[64];
    if (msg->num_fds == 1) {
        ssize_t n = pread(msg->fds[0], got, sizeof(got) - 1, 0);
        got[n > 0 ? n : 0] = 0;
        close(msg->fds[0]);
    }
    snprintf(text, sizeof(text), "read '%s'", got);
    fill(&reply, msg->name, text);
    snprintf(mine, sizeof(mine), "from dpdk pid %d", getpid());
    reply.fds[0] = memfd_with(mine);
    reply.num_fds = reply.fds[0] >= 0 ? 1 : 0;
    int rc = rte_mp_reply(&reply, peer);
    if (reply.num_fds == 1)
        close(reply.fds[0]);
    return rc;
}

/* dpdk.fds: reads every descriptor that came, then replies with RTE_MP_MAX_FD_NUM memfds of its own. */
static int read_fds(const struct rte_mp_msg *msg, const void *peer)
{
    struct rte_mp_msg reply;
    char text[256], first[64] = "", mine[64];
    int same = 0;
    for (int f = 0; f < msg->num_fds; f++) {
        char got[64];
        ssize_t n = pread(msg->fds[f], got, sizeof(got) - 1, 0);
        got[n > 0 ? n : 0] = 0;
        if (f == 0)
            snprintf(first, sizeof(first), "%s", got);
        same += !strcmp(got, first);
        close(msg->fds[f]);
    }
    snprintf(text, sizeof(text), "read %d, %d alike: '%s'", msg->num_fds, same, first);
    fill(&reply, msg->name, text);
    snprintf(mine, sizeof(mine), "from dpdk pid %d", getpid());
    reply.num_fds = 0;
    while (reply.num_fds < RTE_MP_MAX_FD_NUM && (reply.fds[reply.num_fds] = memfd_with(mine)) >= 0)
        reply.num_fds++;
    int rc = rte_mp_reply(&reply, peer);
    for (int f = 0; f < reply.num_fds; f++)
        close(reply.fds[f]);
    return rc;
}

static sem_t released; /* one post per release command; dpdk.slow answers after taking one */

static int slow(const struct rte_mp_msg *msg, const void *peer)
{
    static int count;
    struct rte_mp_msg reply;
    char text[32];
    while (sem_wait(&released) != 0)
        ;
    snprintf(text, sizeof(text), "slow #%d", ++count);
    fill(&reply, msg->name, text);
    return rte_mp_reply(&reply, peer);
}

static int note(const struct rte_mp_msg *msg, const void *peer)
{
    (void)peer;
    printf("NOTE %.*s\n", msg->len_param, (const char *)msg->param);
    fflush(stdout);
    return 0;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void request(const char *name, const char *param, int with_fd)
{
    struct rte_mp_msg req;
    struct rte_mp_reply reply;
    struct timespec timeout = {.tv_sec = 5, .tv_nsec = 0};
    fill(&req, name, param);
    if (with_fd) {
        req.fds[0] = memfd_with(param);
        req.num_fds = 1;
    }
    double start = now_ms();
    int rc = rte_mp_request_sync(&req, &reply, &timeout);
    double took = now_ms() - start;
    if (with_fd)
        close(req.fds[0]);
    if (rc != 0) {
        printf("REPLY rc=%d sent=%d received=%d ms=%.1f\n", rc, reply.nb_sent, reply.nb_received, took);
        fflush(stdout);
        return;
    }
    printf("REPLY sent=%d received=%d ms=%.1f\n", reply.nb_sent, reply.nb_received, took);
    for (int i = 0; i < reply.nb_received; i++) {
        struct rte_mp_msg *m = &reply.msgs[i];
        printf("MSG %s fds=%d %.*s", m->name, m->num_fds, m->len_param, (const char *)m->param);
        for (int f = 0; f < m->num_fds; f++) {
            print_fd(m->fds[f]);
            close(m->fds[f]);
        }
        printf("\n");
    }
    free(reply.msgs);
    fflush(stdout);
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void bench(const char *name, const char *args)
{
    long warmup = 0, count = 0, size = 64;
    if (!args || sscanf(args, "%ld %ld %ld", &warmup, &count, &size) < 2 || warmup < 0 || count < 0 || size < 0
        || size > RTE_MP_MAX_PARAM_LEN) {
        printf("ERROR usage: bench NAME WARMUP COUNT [SIZE <= %d]\n", RTE_MP_MAX_PARAM_LEN);
        return;
    }
    uint64_t *samples = malloc(sizeof(uint64_t) * (size_t)(count > 0 ? count : 1));
    if (!samples) {
        printf("ERROR out of memory\n");
        return;
    }
    struct rte_mp_msg req;
    memset(&req, 0, sizeof(req));
    snprintf(req.name, sizeof(req.name), "%s", name);
    req.len_param = (int)size;
    memset(req.param, 'x', (size_t)size);
    struct timespec timeout = {.tv_sec = 5, .tv_nsec = 0};
    long failed = 0;
    int sent = 0;
    for (long i = -warmup; i < count; i++) {
        struct rte_mp_reply reply;
        uint64_t t0 = now_ns();
        int rc = rte_mp_request_sync(&req, &reply, &timeout);
        uint64_t took = now_ns() - t0;
        if (rc != 0 || reply.nb_sent == 0 || reply.nb_received != reply.nb_sent)
            failed++;
        if (rc == 0) {
            sent = reply.nb_sent;
            for (int m = 0; m < reply.nb_received; m++)
                for (int f = 0; f < reply.msgs[m].num_fds; f++)
                    close(reply.msgs[m].fds[f]);
            free(reply.msgs);
        }
        if (i >= 0)
            samples[i] = took;
    }
    for (long i = 0; i < count; i += 32) {
        printf("SAMPLES %s", name);
        for (long j = i; j < count && j < i + 32; j++)
            printf(" %llu", (unsigned long long)samples[j]);
        printf("\n");
    }
    printf("BENCH %s count=%ld failed=%ld sent=%d\n", name, count, failed, sent);
    free(samples);
}

int main(int argc, char **argv)
{
    if (rte_eal_init(argc, argv) < 0) {
        fprintf(stderr, "rte_eal_init failed\n");
        return 1;
    }
    sem_init(&released, 0, 0);
    rte_mp_action_register("dpdk.echo", echo);
    rte_mp_action_register("dpdk.fd", read_fd);
    rte_mp_action_register("dpdk.fds", read_fds);
    rte_mp_action_register("dpdk.slow", slow);
    rte_mp_action_register("dpdk.note", note);
    printf("READY %d\n", getpid());
    fflush(stdout);
    char line[512];
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\n")] = 0;
        char *cmd = strtok(line, " ");
        char *name = strtok(NULL, " ");
        char *param = strtok(NULL, "");
        if (!cmd)
            continue;
        if (!strcmp(cmd, "quit"))
            break;
        if (!strcmp(cmd, "release")) {
            sem_post(&released);
            printf("RELEASED\n");
        } else if (!name) {
            printf("ERROR no name\n");
        } else if (!strcmp(cmd, "request")) {
            request(name, param ? param : "", 0);
        } else if (!strcmp(cmd, "requestfd")) {
            request(name, param ? param : "", 1);
        } else if (!strcmp(cmd, "bench")) {
            bench(name, param);
        } else if (!strcmp(cmd, "send")) {
            struct rte_mp_msg msg;
            fill(&msg, name, param ? param : "");
            printf("SENT rc=%d\n", rte_mp_sendmsg(&msg));
        } else {
            printf("ERROR unknown command %s\n", cmd);
        }
        fflush(stdout);
    }
    rte_eal_cleanup();
    return 0;
}
