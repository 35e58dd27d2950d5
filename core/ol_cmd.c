/* ol_cmd.c - `steward import openlineage` (st_ol_import_main in
 * openlineage.h): its options, its inputs, and what it prints.
 *
 * Every input is converted before anything is printed, so an error in any
 * of them (exit 2) leaves stdout empty; runs span files in the order
 * given (a START in one, its COMPLETE in the next). The suggestions file
 * is written whole, through a temporary file renamed into place. */
#include "ol_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *files[256];
  size_t nfiles;
  const char *registry, *map, *suggest;
} import_opts;

static int usage(FILE *err, const char *fmt, const char *arg) {
  fprintf(err, "steward: import openlineage: ");
  fprintf(err, fmt, arg);
  fprintf(err, "\nusage: steward import openlineage FILE... [--registry DIR]"
          " [--map FILE] [--suggest FILE]\n");
  return 2;
}

static int parse(import_opts *o, int argc, char **argv, FILE *err) {
  memset(o, 0, sizeof *o);
  int stdin_seen = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char **slot = !strcmp(a, "--registry") ? &o->registry :
                        !strcmp(a, "--map") ? &o->map :
                        !strcmp(a, "--suggest") ? &o->suggest : NULL;
    if (slot) {
      if (i + 1 >= argc) return usage(err, "%s needs a value", a);
      *slot = argv[++i];
    } else if (a[0] == '-' && a[1]) {
      return usage(err, "unknown option '%s'", a);
    } else if (o->nfiles == sizeof o->files / sizeof *o->files) {
      return usage(err, "too many files (at most 256; use - and cat)%s", "");
    } else {
      if (!strcmp(a, "-") && stdin_seen++)
        return usage(err, "%s may be given once", "-");
      o->files[o->nfiles++] = a;
    }
  }
  if (!o->nfiles)
    return usage(err, "%s", "needs at least one FILE (- for stdin)");
  return 0;
}

/* All of stdin; NULL with err on a read error. Caller frees. */
static char *read_stdin(size_t *len, char *err, size_t errlen) {
  st_buf b;
  st_buf_init(&b);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) st_buf_add(&b, chunk, n);
  if (ferror(stdin)) {
    st_buf_free(&b);
    st_errf(err, errlen, ST_EIO, "<stdin>: %s", strerror(errno));
    return NULL;
  }
  *len = b.len;
  return st_buf_take(&b);
}

static int convert_all(const import_opts *o, const st_ol_map *m,
                       st_ol_state *s, cJSON *out, size_t *events, char *err,
                       size_t errlen) {
  *events = 0;
  for (size_t i = 0; i < o->nfiles; i++) {
    int is_stdin = !strcmp(o->files[i], "-");
    size_t len = 0, n = 0;
    char *text = is_stdin ? read_stdin(&len, err, errlen)
                          : st_read_file(o->files[i], &len, err, errlen);
    if (!text) return ST_EIO;
    int rc = st_ol_convert(m, s, is_stdin ? "<stdin>" : o->files[i], text,
                           len, out, &n, err, errlen);
    free(text);
    if (rc) return rc;
    *events += n;
  }
  return ST_OK;
}

static int write_suggestions(const char *path, const cJSON *frag, char *err,
                             size_t errlen) {
  char *text = cJSON_Print(frag);
  st_buf tmp;
  st_buf_init(&tmp);
  st_buf_printf(&tmp, "%s.tmp", path);
  FILE *f = fopen(tmp.data, "w");
  int ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
  if (f && fclose(f) != 0) ok = 0;
  if (ok && rename(tmp.data, path) != 0) ok = 0;
  int rc = ok ? ST_OK : st_errf(err, errlen, ST_EIO, "%s: cannot write the "
                                "suggestions: %s", path, strerror(errno));
  if (!ok) remove(tmp.data);
  st_buf_free(&tmp);
  cJSON_free(text);
  return rc;
}

/* "N events: M observations (a run, b usage, c schema)" on err. */
static void summary(FILE *err, size_t events, const cJSON *out) {
  size_t runs = 0, uses = 0, schemas = 0;
  for (const cJSON *o = out->child; o; o = o->next) {
    const char *k = cJSON_GetStringValue(cJSON_GetObjectItem(o, "kind"));
    runs += k && !strcmp(k, "run");
    uses += k && !strcmp(k, "usage");
    schemas += k && !strcmp(k, "schema");
  }
  fprintf(err, "steward: %zu event%s: %d observation%s (%zu run, %zu usage, "
          "%zu schema)\n", events, events == 1 ? "" : "s",
          cJSON_GetArraySize(out), cJSON_GetArraySize(out) == 1 ? "" : "s",
          runs, uses, schemas);
}

static int run_import(const import_opts *o, FILE *out, FILE *errf) {
  char err[ST_ERRLEN];
  st_registry reg;
  st_registry_init(&reg);
  st_load_opts lo = {1};     /* dangling references do not stop a mapping */
  int rc = o->registry ? st_registry_load(&reg, o->registry, &lo, err,
                                          sizeof err) : ST_OK;
  st_ol_map *m = NULL;
  if (!rc) rc = st_ol_map_load(o->registry ? &reg : NULL, o->map, &m, err,
                               sizeof err);
  st_ol_state *s = st_ol_state_new(NULL, NULL, o->suggest != NULL);
  cJSON *records = cJSON_CreateArray();
  size_t events = 0;
  if (!rc) rc = convert_all(o, m, s, records, &events, err, sizeof err);
  cJSON *frag = !rc && o->suggest ? st_ol_suggest(s, m) : NULL;
  if (frag) rc = write_suggestions(o->suggest, frag, err, sizeof err);
  if (!rc) {
    for (const cJSON *r = records->child; r; r = r->next) {
      char *line = cJSON_PrintUnformatted(r);
      fprintf(out, "%s\n", line);
      cJSON_free(line);
    }
    fflush(out);
    summary(errf, events, records);
  } else {
    fprintf(errf, "steward: %s\n", err);
  }
  cJSON_Delete(frag);
  cJSON_Delete(records);
  st_ol_state_free(s);
  st_ol_map_free(m);
  st_registry_free(&reg);
  return rc ? 2 : 0;
}

int st_ol_import_main(int argc, char **argv, FILE *out, FILE *err) {
  import_opts o;
  int rc = parse(&o, argc, argv, err);
  return rc ? rc : run_import(&o, out, err);
}
