/*
 * main.c - the steward command line: argument parsing and dispatch only.
 *
 * Each command is a cmd_* function taking (argc, argv) past the command
 * name and returning the process exit code: 0 clean, 1 blocking findings,
 * 2 usage or input error, 3 a policy failed to run. Errors are printed as
 * `steward: FILE:LINE:COL: what is wrong`.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lua.h>

#include "coverage.h"
#include "dot.h"
#include "gitbase.h"
#include "impact.h"
#include "openlineage.h"
#include "readiness.h"
#include "registry.h"
#include "replay.h"
#include "report.h"
#include "serve.h"
#include "session.h"
#include "testrun.h"
#include "timeutil.h"
#include "util.h"
#include "version.h"


enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_INPUT = 2, EXIT_RUN = 3 };

static int input_error(const char *msg) {
  fprintf(stderr, "steward: %s\n", msg);
  return EXIT_INPUT;
}

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "steward: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nrun 'steward help' for usage\n");
  return EXIT_INPUT;
}

/* {=== steward check ==================================================== */

typedef struct {
  const char *registry;
  const char *positional[4];   /* after the registry (impact's CHANGE…) */
  size_t npositional;
  const char *format;          /* as given; each command checks its own */
  const char *policies[64];
  size_t npolicies;
  const char *observations[64];
  size_t nobservations;
  const char *params;
  int no_builtin, keep_going, fail_on;
  int depth;                   /* impact's --depth; 0: no bound */
  const char *base;            /* impact's --base REF: the change from git */
  double now;
  st_limits limits;
} check_opts;

static int parse_number(const char *s, double lo, double hi, double *out) {
  char *end;
  double x = strtod(s, &end);
  if (!*s || *end || x < lo || x > hi) return -1;
  *out = x;
  return 0;
}

/* The value of an option: argv[*i + 1], or a usage error. */
static const char *option_value(int argc, char **argv, int *i) {
  if (*i + 1 >= argc) return NULL;
  return argv[++*i];
}

static int parse_limit(const char *opt, const char *v, st_limits *l) {
  double x;
  if (!strcmp(opt, "--max-instructions")) {
    if (parse_number(v, 1000, 1e15, &x)) return -1;
    l->instructions = (uint64_t)x;
  } else if (!strcmp(opt, "--max-memory")) {
    if (parse_number(v, 1, 65536, &x)) return -1;
    l->memory = (size_t)(x * 1048576.0);
  } else {
    if (parse_number(v, 0.001, 3600, &x)) return -1;
    l->seconds = x;
  }
  return 0;
}

static int parse_check_opt(check_opts *o, int argc, char **argv, int *i) {
  const char *a = argv[*i], *v;
  if (!strcmp(a, "--no-builtin")) { o->no_builtin = 1; return 0; }
  if (!strcmp(a, "--keep-going")) { o->keep_going = 1; return 0; }
  if (!(v = option_value(argc, argv, i)))
    return usage_error("%s needs a value", a);
  if (!strcmp(a, "--policies") && o->npolicies < 64) {
    o->policies[o->npolicies++] = v;
  } else if (!strcmp(a, "--observations") && o->nobservations < 64) {
    o->observations[o->nobservations++] = v;
  } else if (!strcmp(a, "--params")) {
    o->params = v;
  } else if (!strcmp(a, "--now")) {
    if (st_time_parse(v, &o->now) != 0)
      return usage_error("--now: '%s' is not an RFC 3339 date or time", v);
  } else if (!strcmp(a, "--format")) {
    o->format = v;
  } else if (!strcmp(a, "--base")) {
    o->base = v;
  } else if (!strcmp(a, "--depth")) {
    double x;
    if (parse_number(v, 1, 1000000, &x))
      return usage_error("--depth: '%s' is not 1 or more", v);
    o->depth = (int)x;
  } else if (!strcmp(a, "--fail-on")) {
    if ((o->fail_on = st_severity_parse(v)) < 0)
      return usage_error("--fail-on: unknown severity '%s' (info, low, "
                         "medium, high, critical)", v);
  } else if (!strcmp(a, "--max-instructions") || !strcmp(a, "--max-memory") ||
             !strcmp(a, "--timeout")) {
    if (parse_limit(a, v, &o->limits))
      return usage_error("%s: value out of range", a);
  } else {
    return usage_error("unknown option '%s'", a);
  }
  return 0;
}

/* Parses the options check and impact share; `npos` is how many arguments
 * follow REGISTRY, `formats` the formats this command writes. */
static int parse_check(check_opts *o, int argc, char **argv, const char *cmd,
                       size_t npos, const char *const *formats) {
  memset(o, 0, sizeof *o);
  o->fail_on = ST_SEV_HIGH;
  o->now = (double)time(NULL);
  o->format = formats[0];
  for (int i = 0; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1]) {
      int rc = parse_check_opt(o, argc, argv, &i);
      if (rc) return rc;
    } else if (!o->registry) {
      o->registry = argv[i];
    } else if (o->npositional < npos) {
      o->positional[o->npositional++] = argv[i];
    } else {
      return usage_error("unexpected argument '%s'", argv[i]);
    }
  }
  /* impact --base REF takes its change from git: no CHANGE then. */
  size_t need = o->base && !strcmp(cmd, "impact") ? 0 : npos;
  if (o->base && o->npositional)
    return usage_error("%s", "impact: give CHANGE or --base REF, not both");
  if (!o->registry || o->npositional < need) {
    fprintf(stderr, "steward: %s needs %s\n", cmd, !npos ? "a REGISTRY" :
            !strcmp(cmd, "impact") ? "REGISTRY and CHANGE" :
            "REGISTRY and WORKFLOW");
    return EXIT_INPUT;
  }
  for (size_t i = 0; formats[i]; i++)
    if (!strcmp(o->format, formats[i])) return 0;
  return usage_error("--format: unknown format '%s'", o->format);
}

/* The session the options name; on an input error prints it and returns
 * EXIT_INPUT with *out NULL. */
static int open_session(const check_opts *o, st_session **out) {
  st_input obs[64];
  for (size_t i = 0; i < o->nobservations; i++)
    obs[i] = (st_input){o->observations[i], NULL, 0, NULL};
  st_session_opts so = {
    .registry = {o->registry, NULL, 0, NULL},
    .builtin = !o->no_builtin,
    .policies = o->policies, .npolicies = o->npolicies,
    .params = {o->params, NULL, 0, NULL},
    .observations = obs, .nobservations = o->nobservations,
    .keep_going = o->keep_going, .limits = o->limits, .now = o->now,
  };
  char err[ST_ERRLEN];
  if (st_session_open(&so, out, err, sizeof err)) return input_error(err);
  return EXIT_CLEAN;
}

static st_run_opts run_opts(const check_opts *o) {
  st_run_opts ro = {0};
  ro.now = o->now;
  ro.fail_on = o->fail_on;
  return ro;
}

static int cmd_check(int argc, char **argv) {
  static const char *const formats[] = {"text", "json", NULL};
  check_opts o;
  int rc = parse_check(&o, argc, argv, "check", 0, formats);
  st_session *ss = NULL;
  if (rc || (rc = open_session(&o, &ss))) return rc;
  st_run_opts ro = run_opts(&o);
  st_report rep;
  char err[ST_ERRLEN];
  int code = EXIT_INPUT;
  if (st_session_check(ss, &ro, &rep, err, sizeof err)) {
    input_error(err);
  } else {
    if (!strcmp(o.format, "json"))
      st_report_json(stdout, &rep.findings, &rep.summary);
    else
      st_report_text(stdout, &rep.findings, &rep.summary,
                     isatty(STDOUT_FILENO));
    code = st_exit_code(&rep.summary);
  }
  st_report_free(&rep);
  st_session_close(ss);
  return code;
}

/* }=== */

/* {=== steward impact =================================================== */

/* Reads a change set: a JSON object (merge patch) or array (JSON Patch). */
static cJSON *read_change(const char *path, char *err, size_t errlen) {
  size_t len;
  char *text = st_read_file(path, &len, err, errlen);
  if (!text) return NULL;
  cJSON *j = st_json_parse_named(path, text, len, err, errlen);
  if (j && !cJSON_IsObject(j) && !cJSON_IsArray(j)) {
    st_errf(err, errlen, ST_EINPUT, "%s:1:1: a change set is a JSON object "
            "(merge patch) or array (JSON Patch)", path);
    cJSON_Delete(j);
    j = NULL;
  }
  free(text);
  return j;
}

static void write_impact(const st_impact *im, const char *format) {
  if (!strcmp(format, "json")) {
    char *text = cJSON_Print(im->result);
    printf("%s\n", text);
    cJSON_free(text);
  } else if (!strcmp(format, "markdown")) {
    st_impact_markdown(stdout, im);
  } else if (!strcmp(format, "dot")) {
    st_impact_dot(stdout, im);
  } else {
    st_impact_text(stdout, im, isatty(STDOUT_FILENO));
  }
}

/* --base REF: the registry as it was at REF (in a temporary directory,
 * *dir) becomes the session's, and the change is what turns it into the
 * working tree's, as a JSON Patch. Returns the change, or NULL with err. */
static cJSON *change_from_git(check_opts *o, char **dir, char *err,
                              size_t errlen) {
  if (st_git_materialize(o->registry, o->base, dir, err, errlen)) return NULL;
  st_registry work;
  st_registry_init(&work);
  st_load_opts lo = {o->keep_going};
  cJSON *change = NULL;
  if (st_registry_load(&work, o->registry, &lo, err, errlen) == ST_OK) {
    st_registry base;
    st_registry_init(&base);
    if (st_registry_load(&base, *dir, &lo, err, errlen) == ST_OK) {
      cJSON *a = st_registry_export(&base), *b = st_registry_export(&work);
      change = st_json_patch_diff(a, b);
      cJSON_Delete(a);
      cJSON_Delete(b);
    } else {
      char inner[ST_ERRLEN];
      snprintf(inner, sizeof inner, "%s", err);
      st_errf(err, errlen, ST_EINPUT, "%s at %s: %s", o->registry, o->base,
              inner);
    }
    st_registry_free(&base);
  }
  st_registry_free(&work);
  return change;
}

static int cmd_impact(int argc, char **argv) {
  static const char *const formats[] = {"text", "json", "markdown", "dot",
                                        NULL};
  check_opts o;
  int rc = parse_check(&o, argc, argv, "impact", 1, formats);
  if (rc) return rc;
  char err[ST_ERRLEN], name[600];
  char *dir = NULL;
  const char *registry = o.registry;
  cJSON *change = NULL;
  if (o.base) {
    if (!(change = change_from_git(&o, &dir, err, sizeof err))) {
      st_git_cleanup(dir);
      return input_error(err);
    }
    snprintf(name, sizeof name, "%s (from %s to the working tree)",
             o.registry, o.base);
    o.registry = dir;                 /* the session holds the base */
  } else if (!(change = read_change(o.positional[0], err, sizeof err))) {
    return input_error(err);
  }
  st_session *ss = NULL;
  rc = open_session(&o, &ss);
  o.registry = registry;
  st_impact im;
  memset(&im, 0, sizeof im);
  st_impact_opts io = {o.base ? name : o.positional[0], o.fail_on, o.now,
                       NULL, o.depth};
  int code = rc;
  if (!rc && st_impact_run(&im, ss, change, &io, err, sizeof err)) {
    code = input_error(err);
  } else if (!rc) {
    write_impact(&im, o.format);
    code = st_impact_exit_code(&im);
  }
  cJSON_Delete(change);
  st_impact_free(&im);
  st_session_close(ss);
  st_git_cleanup(dir);
  return code;
}

/* }=== */

/* {=== steward readiness =============================================== */

/* Prints one workflow's readiness; returns the exit code. */
static int report_readiness(const st_session *ss, const check_opts *o,
                            const char *id) {
  const st_registry *reg = st_session_registry(ss);
  uint32_t n = st_graph_find(&reg->graph, id, strlen(id));
  if (n == ST_NODE_NONE || reg->graph.nodes[n].kind != ST_KIND_WORKFLOW) {
    fprintf(stderr, "steward: %s: no workflow '%s' in the registry\n",
            o->registry, id);
    return EXIT_INPUT;
  }
  char err[ST_ERRLEN];
  st_readiness_opts ro = {o->now, NULL};
  cJSON *r = st_readiness_run(ss, &ro, n, err, sizeof err);
  if (!r) {
    fprintf(stderr, "steward: readiness: %s\n", err);
    return EXIT_RUN;
  }
  if (!strcmp(o->format, "json")) {
    char *text = cJSON_Print(r);
    printf("%s\n", text);
    cJSON_free(text);
  } else {
    st_readiness_text(stdout, r);
  }
  int code = cJSON_IsTrue(cJSON_GetObjectItem(r, "ready")) ? EXIT_CLEAN :
             EXIT_FINDINGS;
  cJSON_Delete(r);
  return code;
}

static int cmd_readiness(int argc, char **argv) {
  static const char *const formats[] = {"text", "json", NULL};
  check_opts o;
  int rc = parse_check(&o, argc, argv, "readiness", 1, formats);
  st_session *ss = NULL;
  if (rc || (rc = open_session(&o, &ss))) return rc;
  int code = report_readiness(ss, &o, o.positional[0]);
  st_session_close(ss);
  return code;
}

/* }=== */

/* {=== steward graph ==================================================== */

typedef struct {
  const char *registry, *focus, *format;
  int depth;
  st_cluster cluster;
} graph_opts;

static int parse_graph_opt(graph_opts *o, int argc, char **argv, int *i) {
  const char *a = argv[*i], *v = option_value(argc, argv, i);
  double x;
  if (!v) return usage_error("%s needs a value", a);
  if (!strcmp(a, "--focus")) {
    o->focus = v;
  } else if (!strcmp(a, "--depth")) {
    if (parse_number(v, 0, 1000, &x)) return usage_error("--depth: '%s' is "
                                                         "not 0 to 1000", v);
    o->depth = (int)x;
  } else if (!strcmp(a, "--format")) {
    if (strcmp(v, "dot") && strcmp(v, "json"))
      return usage_error("--format: unknown format '%s' (dot, json)", v);
    o->format = v;
  } else if (!strcmp(a, "--cluster")) {
    if (!strcmp(v, "owner")) o->cluster = ST_CLUSTER_OWNER;
    else if (!strcmp(v, "stage")) o->cluster = ST_CLUSTER_STAGE;
    else if (!strcmp(v, "none")) o->cluster = ST_CLUSTER_NONE;
    else return usage_error("--cluster: '%s' (owner, stage, none)", v);
  } else {
    return usage_error("unknown option '%s'", a);
  }
  return 0;
}

static int cmd_graph(int argc, char **argv) {
  graph_opts o = {NULL, NULL, "dot", 2, ST_CLUSTER_OWNER};
  for (int i = 0; i < argc; i++) {
    int rc = 0;
    if (argv[i][0] == '-') rc = parse_graph_opt(&o, argc, argv, &i);
    else if (!o.registry) o.registry = argv[i];
    else rc = usage_error("unexpected argument '%s'", argv[i]);
    if (rc) return rc;
  }
  if (!o.registry) return usage_error("%s", "graph needs a REGISTRY");
  char err[ST_ERRLEN];
  st_registry reg;
  st_registry_init(&reg);
  st_load_opts lo = {1};
  int code = EXIT_CLEAN;
  unsigned char *keep = NULL;
  if (st_registry_load(&reg, o.registry, &lo, err, sizeof err)) {
    code = input_error(err);
  } else if (o.focus) {
    uint32_t n = st_graph_find(&reg.graph, o.focus, strlen(o.focus));
    if (n == ST_NODE_NONE) {
      fprintf(stderr, "steward: --focus: unknown id '%s'\n", o.focus);
      code = EXIT_INPUT;
    } else {
      keep = st_xcalloc(reg.graph.nnodes, 1);
      st_dot_focus(&reg, n, o.depth, keep);
    }
  }
  if (code == EXIT_CLEAN && !strcmp(o.format, "json")) {
    cJSON *j = st_dot_json(&reg, keep);
    char *text = cJSON_Print(j);
    printf("%s\n", text);
    cJSON_free(text);
    cJSON_Delete(j);
  } else if (code == EXIT_CLEAN) {
    st_dot_write(stdout, &reg, keep, NULL, o.cluster);
  }
  free(keep);
  st_registry_free(&reg);
  return code;
}

/* }=== */

/* {=== steward test ===================================================== */

static int cmd_test(int argc, char **argv) {
  char err[ST_ERRLEN];
  char *home = st_session_home();
  char *dflt = st_path_join(home, "policies");
  st_coverage cov;
  st_coverage_init(&cov);
  st_testrun_opts o = {home, (double)time(NULL), 0, NULL};
  double min_coverage = -1;
  const char *paths[64];
  size_t n = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) {
      o.verbose = 1;
    } else if (!strcmp(argv[i], "--coverage")) {
      o.coverage = &cov;
    } else if (!strcmp(argv[i], "--min-coverage") && i + 1 < argc) {
      o.coverage = &cov;
      if (parse_number(argv[++i], 0, 100, &min_coverage)) {
        n = 0;
        paths[n++] = NULL;     /* a usage error, reported below */
        fprintf(stderr, "steward: --min-coverage: '%s' is not 0 to 100\n",
                argv[i]);
        break;
      }
    } else if (!strcmp(argv[i], "--now") && i + 1 < argc) {
      if (st_time_parse(argv[++i], &o.now) != 0)
        return usage_error("--now: '%s' is not an RFC 3339 date or time",
                           argv[i]);
    } else if (argv[i][0] == '-') {
      n = 0;
      paths[n++] = NULL;       /* a usage error, reported below */
      fprintf(stderr, "steward: unknown option '%s'\n", argv[i]);
      break;
    } else if (n < 64) {
      paths[n++] = argv[i];
    }
  }
  if (!n) paths[n++] = dflt;
  st_testrun_result res = {0, 0};
  int code = EXIT_CLEAN;
  for (size_t i = 0; i < n && code == EXIT_CLEAN; i++) {
    if (!paths[i]) code = EXIT_INPUT;
    else if (st_testrun(paths[i], &o, stdout, &res, err, sizeof err) != ST_OK)
      code = input_error(err);
  }
  if (code == EXIT_CLEAN && o.coverage) {
    char **files = NULL;
    size_t nfiles = 0, cap = 0;
    for (size_t i = 0; i < n; i++) st_testrun_sources(paths[i], &files, &nfiles,
                                                      &cap);
    double lowest = st_coverage_report(&cov, files, nfiles, stdout);
    for (size_t i = 0; i < nfiles; i++) free(files[i]);
    free(files);
    if (min_coverage >= 0 && lowest < min_coverage) {
      printf("coverage below %g%% in at least one file\n", min_coverage);
      res.failed++;
    }
  }
  if (code == EXIT_CLEAN) {
    printf("%zu passed, %zu failed\n", res.passed, res.failed);
    code = res.failed ? EXIT_FINDINGS : EXIT_CLEAN;
  }
  st_coverage_free(&cov);
  free(home);
  free(dflt);
  return code;
}

/* }=== */

/* {=== steward serve and steward replay ================================= */

static int cmd_serve(int argc, char **argv) {
  const char *config = NULL;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--config") && i + 1 < argc) config = argv[++i];
    else if (!strncmp(argv[i], "--config=", 9)) config = argv[i] + 9;
    else return usage_error("serve: unexpected argument '%s'", argv[i]);
  }
  if (!config) return usage_error("%s", "serve needs --config FILE");
  return st_serve_main(config);
}

static int cmd_replay(int argc, char **argv) {
  const char *store = NULL, *run = NULL;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--store") && i + 1 < argc) store = argv[++i];
    else if (!strncmp(argv[i], "--store=", 8)) store = argv[i] + 8;
    else if (!run && argv[i][0] != '-') run = argv[i];
    else return usage_error("replay: unexpected argument '%s'", argv[i]);
  }
  char *end = NULL;
  long long id = run ? strtoll(run, &end, 10) : 0;
  if (!store || !run || *end || id <= 0)
    return usage_error("%s", "replay needs --store DB and a RUN number");
  return st_replay(store, id, stdout, stderr);
}

static int cmd_import(int argc, char **argv) {
  if (argc && !strcmp(argv[0], "openlineage"))
    return st_ol_import_main(argc - 1, argv + 1, stdout, stderr);
  return usage_error("import: unknown source '%s' (expected openlineage)",
                     argc ? argv[0] : "");
}

/* }=== */

static int cmd_help(int argc, char **argv) {
  (void)argc;
  (void)argv;
  puts("usage: steward COMMAND [ARGS]\n"
       "\n"
       "  check REGISTRY [--policies DIR]... [--no-builtin] [--observations FILE]...\n"
       "        [--params FILE] [--now TIME] [--format text|json]\n"
       "        [--fail-on SEVERITY] [--keep-going]\n"
       "        [--max-instructions N] [--max-memory MiB] [--timeout SECONDS]\n"
       "  impact REGISTRY (CHANGE | --base REF) [the options of check] [--depth N]\n"
       "        [--format text|json|markdown|dot]  what a change would break\n"
       "  readiness REGISTRY WORKFLOW [--observations FILE]... [--params FILE]\n"
       "        [--now TIME] [--format text|json]   criteria and sequencing steps\n"
       "  graph REGISTRY [--focus ID] [--depth N] [--format dot|json]\n"
       "        [--cluster owner|stage|none]\n"
       "  test [PATH]... [--verbose] [--now TIME] [--coverage]\n"
       "        [--min-coverage PCT]             run *_test.lua policy tests\n"
       "  serve --config FILE                  the daemon: schedules, API, history\n"
       "  replay --store DB RUN                evaluate a stored run again\n"
       "  import openlineage FILE... [--registry DIR] [--map FILE] [--suggest FILE]\n"
       "                                       OpenLineage events as observations\n"
       "  version\n"
       "\n"
       "exit: 0 clean, 1 blocking findings, 2 usage or input error,\n"
       "      3 a policy failed to run");
  return EXIT_CLEAN;
}

static int cmd_version(int argc, char **argv) {
  (void)argc;
  (void)argv;
  printf("steward %s (%s)\n", ST_VERSION, ST_VM);
  return EXIT_CLEAN;
}

static const struct {
  const char *name;
  int (*fn)(int, char **);
} commands[] = {
  {"check", cmd_check}, {"impact", cmd_impact}, {"graph", cmd_graph},
  {"readiness", cmd_readiness}, {"serve", cmd_serve},
  {"replay", cmd_replay}, {"import", cmd_import},
  {"test", cmd_test}, {"help", cmd_help},
  {"--help", cmd_help}, {"-h", cmd_help}, {"version", cmd_version},
  {"--version", cmd_version},
};

int main(int argc, char **argv) {
  if (argc < 2) {
    cmd_help(0, NULL);
    return EXIT_INPUT;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(argv[1], commands[i].name))
      return commands[i].fn(argc - 2, argv + 2);
  return usage_error("unknown command '%s'", argv[1]);
}
