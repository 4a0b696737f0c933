/* The file system's share of a batch: creates N files of 2,600 bytes in a new
 * directory the way `protest` writes letters (an unnamed O_TMPFILE file,
 * written, then linked under its name, which fails if the name is taken),
 * from T threads, and nothing else. No rendering: what is left of a batch's
 * time when the program's own work is taken away.
 * Usage: bench/fs-floor.sh [DIR] [N] [T]   */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int dir_fd, files, threads;
static char letter[2600];

static void *work(void *arg) {
    char name[64], proc[64];
    for (int i = (int)(long)arg; i < files; i += threads) {
        snprintf(name, sizeof name, "gb-london-Sender-Number-%06d.txt", i);
        int fd = openat(dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, letter, sizeof letter) != sizeof letter) { perror("write"); exit(1); }
        if (linkat(fd, "", dir_fd, name, AT_EMPTY_PATH) != 0) {
            snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
            if (linkat(AT_FDCWD, proc, dir_fd, name, AT_SYMLINK_FOLLOW) != 0) { perror("linkat"); exit(1); }
        }
        close(fd);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: fs_floor DIR FILES THREADS\n"); return 2; }
    files = atoi(argv[2]);
    threads = atoi(argv[3]);
    memset(letter, 'x', sizeof letter);
    if (mkdir(argv[1], 0755) != 0) { perror(argv[1]); return 1; }
    dir_fd = open(argv[1], O_DIRECTORY | O_RDONLY);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t tid[64];
    for (long t = 0; t < threads && t < 64; t++) pthread_create(&tid[t], NULL, work, (void *)t);
    for (int t = 0; t < threads && t < 64; t++) pthread_join(tid[t], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("%d files, %d threads: %.2f s\n", files, threads,
           (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
