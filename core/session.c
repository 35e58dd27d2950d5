/* session.c - see session.h. */
#include "session.h"

#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patch.h"

struct st_session {
  char *home, *stdlib;
  st_registry reg;
  st_obsset obs;
  st_policyset set;
  st_load_opts load;
  /* The session's own runner, for callers that bring none: one holder at a
   * time. It is the only mutable part, and the mutex guards it. */
  pthread_mutex_t runner_lock;
  st_runner runner;
};

/* {=== Where the stdlib and built-in policies live ====================== */

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *st_session_home(void) {
  const char *env = getenv("STEWARD_HOME");
  if (env && *env) return st_xstrdup(env);
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return st_xstrdup(".");
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (slash) *slash = '\0';
  char *probe = st_path_join(exe, "stdlib");
  int in_tree = is_dir(probe);
  free(probe);
  return in_tree ? st_xstrdup(exe) : st_path_join(exe, "../share/steward");
}

/* }=== */

/* {=== Loading ========================================================== */

static const char *input_name(const st_input *in) {
  return in->name ? in->name : in->path ? in->path : "<input>";
}

/* The input's bytes, NUL-terminated: its text copied, or its file read.
 * Caller frees; NULL with err filled. */
static char *input_read(const st_input *in, size_t *len, char *err,
                        size_t errlen) {
  if (in->text) {
    *len = in->len;
    return st_xstrndup(in->text, in->len);
  }
  return st_read_file(in->path, len, err, errlen);
}

static int load_registry(st_session *s, const st_input *in, char *err,
                         size_t errlen) {
  if (!in->text) {
    if (!in->path)
      return st_errf(err, errlen, ST_EINPUT, "no registry given");
    return st_registry_load(&s->reg, in->path, &s->load, err, errlen);
  }
  char *text = st_xstrndup(in->text, in->len);
  int rc = st_registry_load_text(&s->reg, input_name(in), text, in->len,
                                 &s->load, err, errlen);
  free(text);
  return rc;
}

static int load_observations(st_session *s, const st_session_opts *o,
                             char *err, size_t errlen) {
  for (size_t i = 0; i < o->nobservations; i++) {
    const st_input *in = &o->observations[i];
    int rc = in->text ? st_obs_load_text(&s->obs, input_name(in), in->text,
                                         in->len, err, errlen)
                      : st_obs_load(&s->obs, in->path, err, errlen);
    if (rc) return rc;
  }
  st_obs_index(&s->obs);
  return ST_OK;
}

static int load_params(st_policyset *set, const st_input *in, char *err,
                       size_t errlen) {
  size_t len;
  char *text = input_read(in, &len, err, errlen);
  if (!text) return ST_EINPUT;
  cJSON *j = st_json_parse_named(input_name(in), text, len, err, errlen);
  free(text);
  if (!j) return ST_EINPUT;
  char inner[ST_ERRLEN];
  int rc = st_policyset_params(set, j, inner, sizeof inner);
  if (rc) st_errf(err, errlen, rc, "%s: %s", input_name(in), inner);
  cJSON_Delete(j);
  return rc;
}

/* The built-in packs unless turned off, then each extra pack, then the
 * parameters. */
static int load_policies(st_session *s, const st_session_opts *o, char *err,
                         size_t errlen) {
  char *path = st_path_join(s->home, "policies");
  int rc = ST_OK;
  if (o->builtin && is_dir(path))
    rc = st_policyset_load(&s->set, path, err, errlen);
  free(path);
  for (size_t i = 0; !rc && i < o->npolicies; i++)
    rc = st_policyset_load(&s->set, o->policies[i], err, errlen);
  if (!rc && (o->params.text || o->params.path))
    rc = load_params(&s->set, &o->params, err, errlen);
  return rc;
}

int st_session_open(const st_session_opts *o, st_session **out, char *err,
                    size_t errlen) {
  st_session *s = st_xcalloc(1, sizeof *s);
  s->home = o->home ? st_xstrdup(o->home) : st_session_home();
  s->stdlib = st_path_join(s->home, "stdlib");
  s->load.keep_going = o->keep_going;
  st_registry_init(&s->reg);
  st_obs_init(&s->obs);
  st_policyset_init(&s->set, s->stdlib, o->now, &o->limits);
  s->set.coverage = o->coverage;
  pthread_mutex_init(&s->runner_lock, NULL);
  int rc = load_registry(s, &o->registry, err, errlen);
  if (!rc) rc = load_observations(s, o, err, errlen);
  if (!rc) rc = load_policies(s, o, err, errlen);
  if (rc) {
    st_session_close(s);
    *out = NULL;
    return rc;
  }
  st_runner_init(&s->runner, &s->set);
  *out = s;
  return ST_OK;
}

void st_session_close(st_session *s) {
  if (!s) return;
  if (s->runner.set) st_runner_free(&s->runner);
  pthread_mutex_destroy(&s->runner_lock);
  st_policyset_free(&s->set);
  st_obs_free(&s->obs);
  st_registry_free(&s->reg);
  free(s->home);
  free(s->stdlib);
  free(s);
}

const st_registry *st_session_registry(const st_session *s) { return &s->reg; }
const st_policyset *st_session_policies(const st_session *s) { return &s->set; }
const st_obsset *st_session_observations(const st_session *s) {
  return &s->obs;
}
const char *st_session_stdlib(const st_session *s) { return s->stdlib; }
const st_limits *st_session_limits(const st_session *s) {
  return &s->set.limits;
}

/* }=== */

/* {=== A change applied to a private copy =============================== */

int st_session_apply_change(const st_session *s, const cJSON *change,
                            const char *change_name, st_registry **out,
                            char *err, size_t errlen) {
  const char *label = change_name ? change_name : "change";
  char perr[ST_ERRLEN], name[1100];
  cJSON *doc = st_registry_export(&s->reg);
  int rc = ST_OK;
  if (st_patch_apply(&doc, change, perr, sizeof perr) != 0)
    rc = st_errf(err, errlen, ST_EINPUT, "%s: %s", label, perr);
  st_registry *r = st_xmalloc(sizeof *r);
  st_registry_init(r);
  snprintf(name, sizeof name, "%s: after the change", label);
  if (!rc) rc = st_registry_add_unlocated(r, doc, name, err, errlen);
  if (!rc) rc = st_registry_finish(r, &s->load, err, errlen);
  cJSON_Delete(doc);
  if (rc) {
    st_registry_free(r);
    free(r);
    r = NULL;
  }
  *out = r;
  return rc;
}

/* }=== */

/* {=== The pipeline ===================================================== */

static int selected(const st_run_opts *o, const char *id) {
  if (!o->select) return 1;
  for (size_t i = 0; i < o->nselect; i++)
    if (!fnmatch(o->select[i], id, 0)) return 1;
  return 0;
}

/* Every selection pattern must match a policy: a misspelled id is an
 * error, not an empty run. */
static int check_selection(const st_policyset *set, const st_run_opts *o,
                           char *err, size_t errlen) {
  for (size_t i = 0; o->select && i < o->nselect; i++) {
    size_t k = 0;
    while (k < set->n && fnmatch(o->select[i], set->v[k].id, 0)) k++;
    if (k == set->n)
      return st_errf(err, errlen, ST_EINPUT, "no policy matches '%s'",
                     o->select[i]);
  }
  return ST_OK;
}

/* Evaluates the selected policies with whichever runner the call may use;
 * returns how many failed, and how many ran in *ran. */
static size_t evaluate(const st_session *s, const st_run_opts *o,
                       const st_run_input *in, st_findings *out, size_t *ran) {
  st_session *ms = (st_session *)s;   /* only the runner lock is touched */
  st_runner tmp, *r = o->runner;
  int locked = 0;
  if (!r && pthread_mutex_trylock(&ms->runner_lock) == 0) {
    r = &ms->runner;
    locked = 1;
  } else if (!r) {
    st_runner_init(&tmp, &s->set);
    r = &tmp;
  }
  size_t failed = 0;
  *ran = 0;
  for (size_t i = 0; i < s->set.n; i++) {
    if (!selected(o, s->set.v[i].id)) continue;
    failed += (size_t)st_runner_eval(r, i, in, out);
    (*ran)++;
  }
  if (locked) pthread_mutex_unlock(&ms->runner_lock);
  else if (r == &tmp) st_runner_free(&tmp);
  return failed;
}

int st_session_check(const st_session *s, const st_run_opts *o,
                     st_report *rep, char *err, size_t errlen) {
  st_report_init(rep);
  int rc = check_selection(&s->set, o, err, errlen);
  if (rc) return rc;
  const st_registry *reg = &s->reg;
  if (o->change) {
    st_registry *copy;
    rc = st_session_apply_change(s, o->change, o->change_name, &copy, err,
                                 errlen);
    if (rc) return rc;
    reg = copy;
    rep->owns_registry = 1;
  }
  rep->registry = reg;
  st_run_input in = {reg, o->obs ? o->obs : &s->obs, o->now};
  size_t ran;
  rep->failed = evaluate(s, o, &in, &rep->findings, &ran);
  st_findings_copy(&rep->findings, &reg->load_findings);
  st_registry_apply_waivers(reg, &rep->findings, o->now);
  st_findings_sort(&rep->findings);
  st_summarize(&rep->findings, o->fail_on, ran, &rep->summary);
  return ST_OK;
}

/* }=== */
