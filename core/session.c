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
  atomic_int refs;
  unsigned long long serial;
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
 * sources held in memory, then the parameters. */
static int load_policies(st_session *s, const st_session_opts *o, char *err,
                         size_t errlen) {
  char *path = st_path_join(s->home, "policies");
  int rc = ST_OK;
  if (o->builtin && is_dir(path))
    rc = st_policyset_load(&s->set, path, err, errlen);
  free(path);
  for (size_t i = 0; !rc && i < o->npolicies; i++)
    rc = st_policyset_load(&s->set, o->policies[i], err, errlen);
  for (size_t i = 0; !rc && i < o->npolicy_sources; i++) {
    const st_input *in = &o->policy_sources[i];
    rc = st_policyset_load_text(&s->set, input_name(in), in->text, in->len,
                                err, errlen);
  }
  if (!rc && (o->params.text || o->params.path))
    rc = load_params(&s->set, &o->params, err, errlen);
  return rc;
}

static atomic_ullong next_serial = 1;

int st_session_open(const st_session_opts *o, st_session **out, char *err,
                    size_t errlen) {
  st_session *s = st_xcalloc(1, sizeof *s);
  atomic_init(&s->refs, 1);
  s->serial = atomic_fetch_add(&next_serial, 1);
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

st_session *st_session_retain(st_session *s) {
  atomic_fetch_add(&s->refs, 1);
  return s;
}

unsigned long long st_session_serial(const st_session *s) { return s->serial; }

void st_session_close(st_session *s) {
  if (!s || atomic_fetch_sub(&s->refs, 1) != 1) return;
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
                       const st_run_input *in, st_findings *out, size_t *ran,
                       int *stopped) {
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
  *stopped = ST_STOP_NONE;
  for (size_t i = 0; i < s->set.n && !*stopped; i++) {
    if (!selected(o, s->set.v[i].id)) continue;
    failed += (size_t)st_runner_eval(r, i, in, out);
    *stopped = r->stopped;
    (*ran)++;
  }
  if (locked) pthread_mutex_unlock(&ms->runner_lock);
  else if (r == &tmp) st_runner_free(&tmp);
  return failed;
}

int st_session_begin(const st_session *s, const st_run_opts *o,
                     st_report *rep, st_run_input *in, char *err,
                     size_t errlen) {
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
  *in = (st_run_input){reg, o->obs ? o->obs : &s->obs, o->now,
                       o->timeout > 0 ? st_mono_now() + o->timeout : 0,
                       o->cancel};
  return ST_OK;
}

int st_session_selects(const st_session *s, const st_run_opts *o, size_t i) {
  return i < s->set.n && selected(o, s->set.v[i].id);
}

void st_session_finish(const st_session *s, const st_run_opts *o,
                       st_report *rep, size_t ran) {
  (void)s;
  const st_registry *reg = rep->registry;
  st_findings_copy(&rep->findings, &reg->load_findings);
  st_registry_apply_waivers(reg, &rep->findings, o->now);
  st_findings_sort(&rep->findings);
  st_summarize(&rep->findings, o->fail_on, ran, &rep->summary);
}

int st_session_check(const st_session *s, const st_run_opts *o,
                     st_report *rep, char *err, size_t errlen) {
  st_run_input in;
  int rc = st_session_begin(s, o, rep, &in, err, errlen);
  if (rc) return rc;
  size_t ran;
  rep->failed = evaluate(s, o, &in, &rep->findings, &ran, &rep->stopped);
  st_session_finish(s, o, rep, ran);
  return ST_OK;
}

/* }=== */

size_t st_session_selected(const st_session *s, const char *const *select,
                           size_t nselect, const char ***out) {
  st_run_opts o;
  memset(&o, 0, sizeof o);
  o.select = select;
  o.nselect = nselect;
  *out = st_xmalloc((s->set.n ? s->set.n : 1) * sizeof **out);
  size_t n = 0;
  for (size_t i = 0; i < s->set.n; i++)
    if (selected(&o, s->set.v[i].id)) (*out)[n++] = s->set.v[i].id;
  return n;
}

/* {=== What a run used, as bytes ======================================== */

static char *print_take(cJSON *j, size_t *len) {
  char *printed = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  char *text = st_xstrdup(printed);
  cJSON_free(printed);
  *len = strlen(text);
  return text;
}

char *st_session_registry_blob(const st_session *s, size_t *len) {
  return print_take(st_registry_export(&s->reg), len);
}

static cJSON *limits_json(const st_limits *l) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "instructions", (double)l->instructions);
  cJSON_AddNumberToObject(o, "memory_mb", (double)(l->memory >> 20));
  cJSON_AddNumberToObject(o, "seconds", l->seconds);
  return o;
}

char *st_session_policy_blob(const st_session *s, size_t *len) {
  cJSON *o = cJSON_CreateObject();
  cJSON *pols = cJSON_AddArrayToObject(o, "policies");
  cJSON *params = cJSON_AddObjectToObject(o, "params");
  for (size_t i = 0; i < s->set.n; i++) {
    const st_policy *p = &s->set.v[i];
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "file", p->file);
    cJSON_AddStringToObject(x, "source", p->source);
    cJSON_AddItemToArray(pols, x);
    if (!p->load_kill && p->params && p->params->child)
      cJSON_AddItemToObject(params, p->id, cJSON_Duplicate(p->params, 1));
  }
  cJSON_AddItemToObject(o, "limits", limits_json(&s->set.limits));
  cJSON_AddBoolToObject(o, "keep_going", s->load.keep_going);
  return print_take(o, len);
}

/* The policy sources and options a policy blob names. Fills *sources (an
 * array of inputs pointing into blob's tree) and opts; *tree is the parsed
 * blob the inputs borrow from (caller deletes). */
static int read_policy_blob(const char *text, size_t len, cJSON **tree,
                            st_input **sources, st_session_opts *o,
                            char *err, size_t errlen) {
  cJSON *b = *tree = st_json_parse_named("policies blob", text, len, err,
                                         errlen);
  if (!b) return ST_EINPUT;
  const cJSON *pols = cJSON_GetObjectItem(b, "policies"), *x;
  const cJSON *lim = cJSON_GetObjectItem(b, "limits");
  size_t n = 0;
  *sources = st_xcalloc((size_t)cJSON_GetArraySize(pols) + 1,
                        sizeof **sources);
  cJSON_ArrayForEach(x, pols) {
    const char *file = cJSON_GetStringValue(cJSON_GetObjectItem(x, "file"));
    const char *src = cJSON_GetStringValue(cJSON_GetObjectItem(x, "source"));
    if (!file || !src)
      return st_errf(err, errlen, ST_EINPUT, "policies blob: entry %zu has "
                     "no file or source", n);
    (*sources)[n++] = (st_input){NULL, src, strlen(src), file};
  }
  o->policy_sources = *sources;
  o->npolicy_sources = n;
  o->keep_going = cJSON_IsTrue(cJSON_GetObjectItem(b, "keep_going"));
  o->limits.instructions = (uint64_t)cJSON_GetNumberValue(
      cJSON_GetObjectItem(lim, "instructions"));
  o->limits.memory = (size_t)cJSON_GetNumberValue(
      cJSON_GetObjectItem(lim, "memory_mb")) << 20;
  o->limits.seconds = cJSON_GetNumberValue(cJSON_GetObjectItem(lim,
                                                               "seconds"));
  return ST_OK;
}

int st_session_open_blobs(const char *home, const char *registry,
                          size_t registry_len, const char *policies,
                          size_t policies_len, st_session **out, char *err,
                          size_t errlen) {
  st_session_opts o;
  memset(&o, 0, sizeof o);
  cJSON *tree = NULL;
  st_input *sources = NULL;
  *out = NULL;
  int rc = read_policy_blob(policies, policies_len, &tree, &sources, &o, err,
                            errlen);
  char *params = NULL;
  if (!rc) {
    params = cJSON_PrintUnformatted(cJSON_GetObjectItem(tree, "params"));
    o.params = (st_input){NULL, params, params ? strlen(params) : 0,
                          "policies blob: params"};
    o.registry = (st_input){NULL, registry, registry_len, "registry blob"};
    o.home = home;
    rc = st_session_open(&o, out, err, errlen);
  }
  if (params) cJSON_free(params);
  free(sources);
  cJSON_Delete(tree);
  return rc;
}

/* }=== */
