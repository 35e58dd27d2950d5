/*
 * test_fuzz_regressions.c - replays stored inputs through the fuzz
 * harnesses (tests/fuzz/fuzz_*.c) without libFuzzer or clang.
 *
 * For each harness NAME (registry, obs, patch, policy, httpd, openlineage),
 * every file
 * under tests/fuzz/regressions/NAME/ (inputs that once crashed a fuzzer,
 * kept so the bug stays fixed) and under tests/fuzz/corpus/NAME/ (the seed corpus,
 * so the harness code paths run in `make test`) is one case: it runs in a
 * child process, which must exit normally within 10 s. A crash, an abort
 * from a harness property check, or a hang fails that case only. The
 * harnesses are included here with ST_FUZZ_NO_MAIN, so their entry points
 * are plain functions.
 *
 * An argument runs only the cases whose "NAME/FILE" contains it.
 */
#define ST_FUZZ_NO_MAIN 1
#include "../fuzz/fuzz_registry.c"
#include "../fuzz/fuzz_obs.c"
#include "../fuzz/fuzz_patch.c"
#include "../fuzz/fuzz_policy.c"
#include "../fuzz/fuzz_httpd.c"
#include "../fuzz/fuzz_yaml.c"
#include "../fuzz/fuzz_openlineage.c"

#include "t.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPLAY_TIMEOUT 10.0

typedef int (*harness_fn)(const uint8_t *, size_t);

static const struct {
    const char *name;
    harness_fn fn;
} HARNESSES[] = {
    {"registry", fuzz_registry_one},
    {"obs", fuzz_obs_one},
    {"yaml", fuzz_yaml_one},
    {"patch", fuzz_patch_one},
    {"policy", fuzz_policy_one},
    {"httpd", fuzz_httpd_one},
    {"openlineage", fuzz_openlineage_one},
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs fn on the file's bytes in a child; 1 when it passed. */
static int replay(harness_fn fn, const char *path)
{
    char err[ST_ERRLEN];
    size_t len;
    char *data = st_read_file(path, &len, err, sizeof err);
    if (!data) {
        T_FAILF("%s", err);
        return 0;
    }
    int before = t_failed_checks;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        T_FAILF("fork failed");
        free(data);
        return 0;
    }
    if (pid == 0) {
        fn((const uint8_t *)data, len);
        fflush(NULL);
        _exit(0);
    }
    free(data);
    int status = 0;
    double start = mono();
    struct timespec nap = {0, 2 * 1000 * 1000};
    while (waitpid(pid, &status, WNOHANG) != pid) {
        if (mono() - start > REPLAY_TIMEOUT) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            T_FAILF("HUNG: still running after %.0f s (killed)",
                    REPLAY_TIMEOUT);
            return 0;
        }
        nanosleep(&nap, NULL);
    }
    if (WIFSIGNALED(status))
        T_FAILF("died of signal %d (%s)", WTERMSIG(status),
                strsignal(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 0)
        T_FAILF("exited %d", WEXITSTATUS(status));
    return t_failed_checks == before;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file in dir; adds to the counts. Returns how many
 * files there were. */
static size_t replay_dir(harness_fn fn, const char *kind, const char *name,
                         const char *filter, int *passed, int *failed)
{
    char dir[512];
    snprintf(dir, sizeof dir, "tests/fuzz/%s/%s", kind, name);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        st_grow((void **)&names, &cap, n + 1, sizeof *names);
        names[n++] = st_xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char label[1024], path[1024];
        snprintf(label, sizeof label, "%s/%s/%s", kind, name, names[i]);
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!filter || strstr(label, filter)) {
            t_current = label;
            if (replay(fn, path))
                (*passed)++;
            else
                (*failed)++;
        }
        free(names[i]);
    }
    free(names);
    return n;
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    for (size_t h = 0; h < sizeof HARNESSES / sizeof *HARNESSES; h++) {
        size_t seeds = replay_dir(HARNESSES[h].fn, "corpus",
                                  HARNESSES[h].name, filter, &passed, &failed);
        replay_dir(HARNESSES[h].fn, "regressions", HARNESSES[h].name, filter,
                   &passed, &failed);
        if (seeds == 0) {
            t_current = HARNESSES[h].name;
            T_FAILF("no seed corpus in tests/fuzz/corpus/%s",
                    HARNESSES[h].name);
            failed++;
        }
    }
    printf("RESULT passed=%d failed=%d\n", passed, failed);
    return failed ? 1 : 0;
}
