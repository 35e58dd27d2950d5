/* gitbase.c - see gitbase.h. */
#include "gitbase.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "yamlreg.h"

extern char **environ;

/* {=== Running git ====================================================== */

/* Runs git with argv (argv[0] "git"), its standard output into *out (NUL
 * terminated, caller frees) and *len. On failure returns ST_EINPUT with
 * err holding git's first line of complaint. */
static int run_git(char *const argv[], char **out, size_t *len, char *err,
                   size_t errlen) {
  int pipefd[2];
  char errpath[] = "/tmp/steward-git-XXXXXX";
  int errfd = mkstemp(errpath);
  if (errfd < 0 || pipe(pipefd) != 0) {
    if (errfd >= 0) close(errfd);
    return st_errf(err, errlen, ST_EIO, "cannot run git: no pipe");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
  posix_spawn_file_actions_adddup2(&fa, errfd, 2);
  posix_spawn_file_actions_addclose(&fa, pipefd[0]);
  pid_t pid;
  int rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(pipefd[1]);
  st_buf b;
  st_buf_init(&b);
  char chunk[65536];
  ssize_t n;
  while (rc == 0 && (n = read(pipefd[0], chunk, sizeof chunk)) > 0)
    st_buf_add(&b, chunk, (size_t)n);
  close(pipefd[0]);
  int status = 0;
  if (rc == 0) waitpid(pid, &status, 0);
  int ok = rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok) {
    char msg[512] = "";
    ssize_t m = pread(errfd, msg, sizeof msg - 1, 0);
    msg[m > 0 ? m : 0] = '\0';
    msg[strcspn(msg, "\n")] = '\0';
    st_errf(err, errlen, ST_EINPUT, "git: %s", rc ? "git is not installed"
            : *msg ? msg : "failed");
  }
  close(errfd);
  unlink(errpath);
  if (!ok) {
    st_buf_free(&b);
    return ST_EINPUT;
  }
  *len = b.len;
  *out = st_buf_take(&b);
  if (!*out) *out = st_xstrdup("");
  return ST_OK;
}

/* }=== */

/* {=== The registry at a ref ============================================ */

/* The registry's path inside the repository (from its root), and the
 * directory to run git in. Caller frees both. */
static int repo_path(const char *registry, char **cwd, char **path, char *err,
                     size_t errlen) {
  struct stat st;
  int is_dir = stat(registry, &st) == 0 && S_ISDIR(st.st_mode);
  char *copy = st_xstrdup(registry);
  size_t n = strlen(copy);
  while (n > 1 && copy[n - 1] == '/') copy[--n] = '\0';
  char *slash = strrchr(copy, '/');
  const char *base = is_dir ? NULL : slash ? slash + 1 : copy;
  if (!is_dir && slash) *slash = '\0';
  *cwd = st_xstrdup(is_dir ? copy : slash ? (*copy ? copy : "/") : ".");
  char *argv[] = {"git", "-C", *cwd, "rev-parse", "--show-prefix", NULL};
  char *prefix;
  size_t len;
  int rc = run_git(argv, &prefix, &len, err, errlen);
  if (!rc) {
    prefix[strcspn(prefix, "\n")] = '\0';
    st_buf p;
    st_buf_init(&p);
    st_buf_puts(&p, prefix);
    if (base) st_buf_puts(&p, base);
    while (p.len && p.data[p.len - 1] == '/') p.data[--p.len] = '\0';
    *path = st_buf_take(&p);
    if (!*path) *path = st_xstrdup("");
    free(prefix);
  }
  free(copy);
  if (rc) {
    free(*cwd);
    *cwd = NULL;
  }
  return rc;
}

/* "REF:PATH" (PATH from the repository root). Caller frees. */
static char *object(const char *ref, const char *path, const char *name) {
  st_buf b;
  st_buf_init(&b);
  st_buf_printf(&b, "%s:%s%s%s", ref, path, name && *path ? "/" : "",
                name ? name : "");
  return st_buf_take(&b);
}

static int write_file(const char *dir, const char *name, const char *data,
                      size_t len, char *err, size_t errlen) {
  char *path = st_path_join(dir, name);
  FILE *f = fopen(path, "wb");
  int ok = f && fwrite(data, 1, len, f) == len;
  if (f && fclose(f) != 0) ok = 0;
  free(path);
  return ok ? ST_OK : st_errf(err, errlen, ST_EIO, "%s: cannot write %s",
                              dir, name);
}

/* Copies one blob REF:path into dir/name. */
static int copy_blob(const char *cwd, const char *obj, const char *dir,
                     const char *name, char *err, size_t errlen) {
  char *argv[] = {"git", "-C", (char *)cwd, "show", (char *)obj, NULL};
  char *data;
  size_t len;
  int rc = run_git(argv, &data, &len, err, errlen);
  if (!rc) rc = write_file(dir, name, data, len, err, errlen);
  free(data);
  return rc;
}

static int registry_file(const char *name) {
  return st_ends_with(name, ".json") || st_yaml_is_yaml_name(name);
}

/* Copies the registry files of tree REF:path into dir. ls-tree -z gives
 * "MODE TYPE HASH\tNAME\0" per entry. */
static int copy_tree(const char *cwd, const char *ref, const char *path,
                     const char *dir, char *err, size_t errlen) {
  char *tree = object(ref, path, NULL);
  char *argv[] = {"git", "-C", (char *)cwd, "ls-tree", "--full-tree", "-z",
                  tree, NULL};
  char *list;
  size_t len;
  int rc = run_git(argv, &list, &len, err, errlen);
  for (size_t at = 0; !rc && at < len;) {
    const char *entry = list + at;
    size_t elen = strlen(entry);
    const char *tab = strchr(entry, '\t');
    const char *name = tab ? tab + 1 : "";
    if (tab && strstr(entry, " blob ") && name[0] != '.' &&
        registry_file(name)) {
      char *obj = object(ref, path, name);
      rc = copy_blob(cwd, obj, dir, name, err, errlen);
      free(obj);
    }
    at += elen + 1;
  }
  free(list);
  free(tree);
  return rc;
}

static int is_tree(const char *cwd, const char *obj, int *tree, char *err,
                   size_t errlen) {
  char *argv[] = {"git", "-C", (char *)cwd, "cat-file", "-t", (char *)obj,
                  NULL};
  char *type;
  size_t len;
  int rc = run_git(argv, &type, &len, err, errlen);
  if (!rc) {
    *tree = !strncmp(type, "tree", 4);
    free(type);
  }
  return rc;
}

int st_git_materialize(const char *registry, const char *ref, char **dir,
                       char *err, size_t errlen) {
  char *cwd = NULL, *path = NULL;
  *dir = NULL;
  int rc = repo_path(registry, &cwd, &path, err, errlen);
  if (rc) return rc;
  char *obj = object(ref, path, NULL);
  int tree = 0;
  char inner[ST_ERRLEN];
  if (is_tree(cwd, obj, &tree, inner, sizeof inner))
    rc = st_errf(err, errlen, ST_EINPUT, "%s: not in the repository at %s (%s)",
                 obj, ref, inner);
  char tmpl[] = "/tmp/steward-base-XXXXXX";
  if (!rc && !mkdtemp(tmpl))
    rc = st_errf(err, errlen, ST_EIO, "cannot make a temporary directory");
  if (!rc) {
    *dir = st_xstrdup(tmpl);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    rc = tree ? copy_tree(cwd, ref, path, *dir, err, errlen)
              : copy_blob(cwd, obj, *dir, base, err, errlen);
  }
  if (rc && *dir) {
    st_git_cleanup(*dir);
    *dir = NULL;
  }
  free(obj);
  free(cwd);
  free(path);
  return rc;
}

void st_git_cleanup(char *dir) {
  if (!dir) return;
  size_t n;
  char **names = st_list_dir(dir, &n);
  for (size_t i = 0; i < n; i++) {
    unlink(names[i]);
    free(names[i]);
  }
  free(names);
  /* st_list_dir skips dot files; git never writes them here (skipped). */
  rmdir(dir);
  free(dir);
}

/* }=== */

/* {=== JSON Patch between two documents ================================= */

static void add_op(cJSON *ops, const char *op, const char *path,
                   const cJSON *value) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "op", op);
  cJSON_AddStringToObject(o, "path", path);
  if (value) cJSON_AddItemToObject(o, "value", cJSON_Duplicate(value, 1));
  cJSON_AddItemToArray(ops, o);
}

static void diff_value(cJSON *ops, st_buf *path, const cJSON *a,
                       const cJSON *b) {
  if (cJSON_Compare(a, b, 1)) return;
  if (!cJSON_IsObject(a) || !cJSON_IsObject(b)) {
    add_op(ops, "replace", path->data ? path->data : "", b);
    return;
  }
  size_t mark = path->len;
  for (const cJSON *x = a->child; x; x = x->next) {
    st_buf_pointer_token(path, x->string);
    const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
    if (y) diff_value(ops, path, x, y);
    else add_op(ops, "remove", path->data, NULL);
    path->len = mark;
    path->data[mark] = '\0';
  }
  for (const cJSON *y = b->child; y; y = y->next) {
    if (cJSON_GetObjectItemCaseSensitive(a, y->string)) continue;
    st_buf_pointer_token(path, y->string);
    add_op(ops, "add", path->data, y);
    path->len = mark;
    path->data[mark] = '\0';
  }
}

cJSON *st_json_patch_diff(const cJSON *from, const cJSON *to) {
  cJSON *ops = cJSON_CreateArray();
  st_buf path;
  st_buf_init(&path);
  diff_value(ops, &path, from, to);
  st_buf_free(&path);
  return ops;
}

/* }=== */
