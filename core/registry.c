/* registry.c - see registry.h. */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonpos.h"
#include "yamlreg.h"
#include "timeutil.h"

/* {=== Known fields and their types =================================== */

typedef enum {
  F_STR, F_NUM, F_BOOL, F_OBJ, F_ARR, F_DATE, F_STRARR, F_STAGE, F_DIRECTION,
  F_BETTER, F_USES
} field_type;

typedef struct {
  const char *path;          /* relative to the node, '/'-separated */
  field_type type;
} field_rule;

/* The fields steward reads (docs/registry.md lists them per kind). Any
 * other field is kept as it is: users extend the schema. JSON null is
 * accepted everywhere and reads as absent. */
static const field_rule rules[] = {
  {"owner", F_STR}, {"name", F_STR}, {"contact", F_STR}, {"type", F_STR},
  {"stage", F_STAGE}, {"version", F_STR}, {"schema_version", F_STR},
  {"classification", F_STR}, {"access", F_STR},
  {"uses", F_USES}, {"reads", F_STRARR}, {"writes", F_STRARR},
  {"feeds", F_STRARR}, {"depends_on", F_STRARR}, {"validated_for", F_STRARR},
  {"input_schema", F_OBJ}, {"deployed_at", F_DATE},
  {"quality", F_OBJ}, {"quality/completeness", F_NUM},
  {"quality/validated_at", F_DATE},
  {"data_governance", F_OBJ}, {"data_governance/approved_by", F_STR},
  {"data_governance/retention_days", F_NUM},
  {"data_governance/access_audited", F_BOOL},
  {"volume", F_OBJ}, {"volume/cases_per_month", F_NUM},
  {"decision", F_OBJ}, {"decision/stakes", F_STR},
  {"decision/reversible", F_BOOL}, {"decision/human_in_loop", F_BOOL},
  {"task", F_OBJ}, {"task/inputs", F_ARR}, {"task/outputs", F_ARR},
  {"task/quality_criteria", F_STR},
  {"baseline", F_OBJ}, {"baseline/metric", F_STR}, {"baseline/value", F_NUM},
  {"baseline/measured_at", F_DATE}, {"baseline/better", F_BETTER},
  {"outcome", F_OBJ}, {"outcome/metric", F_STR},
  {"latency", F_OBJ}, {"latency/required_ms", F_NUM},
  {"review", F_OBJ}, {"review/at", F_DATE},
  {"monitoring", F_OBJ}, {"monitoring/metric", F_STR},
  {"monitoring/baseline", F_NUM}, {"monitoring/alert_threshold", F_NUM},
  {"monitoring/direction", F_DIRECTION}, {"monitoring/automated", F_BOOL},
  {"monitoring/cadence_days", F_NUM}, {"monitoring/sampling_days", F_NUM},
  {"override", F_OBJ}, {"override/documented", F_BOOL},
  {"override/tested_at", F_DATE}, {"override/requires_admin", F_BOOL},
  {"escalation", F_OBJ}, {"escalation/contact", F_STR},
  {"escalation/response_hours", F_NUM}, {"escalation/fallback", F_STR},
  {"process", F_OBJ}, {"process/ai_output_required", F_BOOL},
  {"process/delivery", F_STR},
  {"process/mapping", F_OBJ}, {"process/mapping/documented", F_BOOL},
  {"process/mapping/mapped_at", F_DATE},
  {"process/change", F_OBJ}, {"process/change/validated_with_users", F_BOOL},
  {"process/change/lead", F_STR},
  {"openlineage", F_OBJ}, {"openlineage/namespace", F_STR},
  {"openlineage/name", F_STR}, {"mlflow_name", F_STR},
};

static const char *const stages[] = {
  "proposed", "governance", "data", "redesign", "deployment", "measurement",
  "scaling", "retired", NULL};

static const char *type_name(field_type t) {
  switch (t) {
  case F_STR: return "a string";
  case F_NUM: return "a number";
  case F_BOOL: return "true or false";
  case F_OBJ: return "an object";
  case F_ARR: return "an array";
  case F_DATE: return "an RFC 3339 date (YYYY-MM-DD) or time";
  case F_STRARR: return "an array of ids";
  case F_STAGE: return "a stage";
  case F_DIRECTION: return "\"below\" or \"above\"";
  case F_BETTER: return "\"higher\" or \"lower\"";
  case F_USES: return "an array of model ids or {\"model\", \"version\"} objects";
  }
  return "?";
}

static const char *val_type_name(st_val v) {
  switch (ST_VAL_TAG(v)) {
  case ST_T_NULL: return "null";
  case ST_T_FALSE: case ST_T_TRUE: return "a boolean";
  case ST_T_INT: case ST_T_NUM: return "a number";
  case ST_T_STR: return "a string";
  case ST_T_ARR: return "an array";
  default: return "an object";
  }
}

/* }=== */

void st_registry_init(st_registry *r) {
  memset(r, 0, sizeof *r);
  st_doc_init(&r->doc);
  st_graph_init(&r->graph, &r->doc);
  st_findings_init(&r->load_findings);
}

static void waiver_free(st_waiver *w) {
  free(w->id);
  free(w->policy);
  free(w->subject);
  free(w->owner);
  free(w->reason);
}

void st_registry_free(st_registry *r) {
  for (size_t i = 0; i < r->nfiles; i++) {
    free(r->files[i].name);
    free(r->files[i].text);
    st_yaml_pos_free(r->files[i].yaml);
  }
  free(r->files);
  for (size_t i = 0; i < r->nwaivers; i++) waiver_free(&r->waivers[i]);
  free(r->waivers);
  st_findings_free(&r->load_findings);
  st_graph_free(&r->graph);
  st_doc_free(&r->doc);
  memset(r, 0, sizeof *r);
}

void st_registry_where(const st_registry *r, uint16_t file,
                       const char *pointer, int at_key, char *out,
                       size_t outlen) {
  const st_regfile *f = &r->files[file];
  if (f->unlocated) {
    snprintf(out, outlen, "%s", f->name);
    return;
  }
  if (f->yaml) {
    int line, col;
    st_yaml_where(f->yaml, pointer, at_key != ST_AT_VALUE, &line, &col);
    snprintf(out, outlen, "%s:%d:%d", f->name, line, col);
    return;
  }
  if (!f->text) {
    st_json_where(f->name, pointer, at_key, out, outlen);
    return;
  }
  size_t len = strlen(f->text), off;
  int line, col;
  if (at_key == ST_AT_DUP) st_json_locate_dup(f->text, len, pointer, &off);
  else if (at_key) st_json_locate_key(f->text, len, pointer, &off);
  else st_json_locate(f->text, len, pointer, &off);
  st_line_col(f->text, len, off, &line, &col);
  snprintf(out, outlen, "%s:%d:%d", f->name, line, col);
}

/* Reports an input error at a pointer of file `file` (at its member name
 * when at_key). */
static int fail_where(const st_registry *r, uint16_t file, const char *pointer,
                      int at_key, char *err, size_t errlen, const char *what) {
  char where[512];
  st_registry_where(r, file, pointer, at_key, where, sizeof where);
  if (!*pointer)
    return st_errf(err, errlen, ST_EINPUT, "%s: %s", where, what);
  return st_errf(err, errlen, ST_EINPUT, "%s: %s: %s", where, pointer, what);
}

static int fail_at(const st_registry *r, uint16_t file, const char *pointer,
                   char *err, size_t errlen, const char *what) {
  return fail_where(r, file, pointer, 0, err, errlen, what);
}

char *st_registry_node_pointer(const st_registry *r, uint32_t node) {
  const st_node *n = &r->graph.nodes[node];
  st_buf b;
  st_buf_init(&b);
  st_buf_pointer_token(&b, st_kind_section(n->kind));
  st_buf_pointer_token(&b, st_doc_atom_str(&r->doc, n->id, NULL));
  return st_buf_take(&b);
}

/* {=== Field checks ===================================================== */

static int is_stage(const char *s) {
  for (int i = 0; stages[i]; i++)
    if (!strcmp(s, stages[i])) return 1;
  return 0;
}

/* The index of the first element of arr that is not a string, or -1. */
static long first_non_string(const st_doc *d, st_val arr) {
  for (uint32_t i = 0; i < st_doc_len(d, arr); i++)
    if (ST_VAL_TAG(st_doc_at(d, arr, i)) != ST_T_STR) return (long)i;
  return -1;
}

static int uses_entry_ok(const st_doc *d, st_val e) {
  if (ST_VAL_TAG(e) == ST_T_STR) return 1;
  if (ST_VAL_TAG(e) != ST_T_OBJ) return 0;
  st_val m = st_doc_getk(d, e, "model"), v = st_doc_getk(d, e, "version");
  return ST_VAL_TAG(m) == ST_T_STR &&
         (v == ST_VAL_ABSENT || ST_VAL_TAG(v) == ST_T_STR ||
          ST_VAL_TAG(v) == ST_T_NULL);
}

/* 1 when v has type t. Writes a specific complaint into why when it has not
 * and a generic "expected X" would be less helpful; for an array with one
 * bad element, *bad is that element's index (else -1). */
static int type_ok(const st_doc *d, st_val v, field_type t, char *why,
                   size_t whylen, long *bad) {
  unsigned tag = ST_VAL_TAG(v);
  double when;
  const char *s = st_doc_str(d, v, NULL);
  switch (t) {
  case F_STR: return tag == ST_T_STR;
  case F_NUM: return st_doc_is_num(v);
  case F_BOOL: return tag == ST_T_TRUE || tag == ST_T_FALSE;
  case F_OBJ: return tag == ST_T_OBJ;
  case F_ARR: return tag == ST_T_ARR;
  case F_STRARR:
    if (tag != ST_T_ARR) return 0;
    if ((*bad = first_non_string(d, v)) < 0) return 1;
    snprintf(why, whylen, "expected an id (a string), found %s",
             val_type_name(st_doc_at(d, v, (uint32_t)*bad)));
    return 0;
  case F_DATE:
    if (s && st_time_parse(s, &when) != 0) {
      snprintf(why, whylen, "'%s' is not %s", s, type_name(t));
      return 0;
    }
    return s != NULL;
  case F_STAGE:
    if (s && !is_stage(s)) {
      snprintf(why, whylen, "unknown stage '%s' (expected one of proposed, "
               "governance, data, redesign, deployment, measurement, scaling, "
               "retired)", s);
      return 0;
    }
    return s != NULL;
  case F_DIRECTION:
    return s && (!strcmp(s, "below") || !strcmp(s, "above"));
  case F_BETTER:
    return s && (!strcmp(s, "higher") || !strcmp(s, "lower"));
  case F_USES:
    if (tag != ST_T_ARR) return 0;
    for (uint32_t i = 0; i < st_doc_len(d, v); i++)
      if (!uses_entry_ok(d, st_doc_at(d, v, i))) {
        *bad = (long)i;
        snprintf(why, whylen, "expected a model id or a {\"model\": id, "
                 "\"version\": string} object");
        return 0;
      }
    return 1;
  }
  return 0;
}

/* Looks up a '/'-separated relative path; ST_VAL_ABSENT if any step is. */
static st_val get_path(const st_doc *d, st_val v, const char *path) {
  char key[64];
  while (*path && v != ST_VAL_ABSENT) {
    size_t n = strcspn(path, "/");
    if (n >= sizeof key) return ST_VAL_ABSENT;
    memcpy(key, path, n);
    key[n] = '\0';
    v = st_doc_getk(d, v, key);
    path += n + (path[n] == '/');
  }
  return v;
}

static int check_fields(st_registry *r, uint16_t file, const char *node_ptr,
                        st_val node, char *err, size_t errlen) {
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    st_val v = get_path(&r->doc, node, rules[i].path);
    if (v == ST_VAL_ABSENT || ST_VAL_TAG(v) == ST_T_NULL) continue;
    char why[512] = "";
    long bad = -1;
    if (type_ok(&r->doc, v, rules[i].type, why, sizeof why, &bad)) continue;
    if (!*why)
      snprintf(why, sizeof why, "expected %s, found %s",
               type_name(rules[i].type), val_type_name(v));
    char ptr[1100];
    if (bad >= 0)
      snprintf(ptr, sizeof ptr, "%s/%s/%ld", node_ptr, rules[i].path, bad);
    else
      snprintf(ptr, sizeof ptr, "%s/%s", node_ptr, rules[i].path);
    return fail_at(r, file, ptr, err, errlen, why);
  }
  return ST_OK;
}

/* }=== */

/* {=== Sections ========================================================= */

static int add_node(st_registry *r, uint16_t file, st_kind kind,
                    uint32_t id_atom, st_val value, const char *ptr,
                    char *err, size_t errlen) {
  if (ST_VAL_TAG(value) != ST_T_OBJ)
    return fail_at(r, file, ptr, err, errlen, "an entry must be an object");
  int rc = check_fields(r, file, ptr, value, err, errlen);
  if (rc) return rc;
  uint32_t other;
  if (st_graph_add_node(&r->graph, id_atom, kind, value, file, &other) !=
      ST_NODE_NONE)
    return ST_OK;
  char *optr = st_registry_node_pointer(r, other);
  char owhere[512], msg[1200];
  st_registry_where(r, r->graph.nodes[other].file, optr, ST_AT_KEY, owhere,
                    sizeof owhere);
  snprintf(msg, sizeof msg, "duplicate id '%s': already defined at %s (%s)",
           st_doc_atom_str(&r->doc, id_atom, NULL), owhere, optr);
  free(optr);
  return fail_where(r, file, ptr, ST_AT_KEY, err, errlen, msg);
}

static char *waiver_string(st_registry *r, st_val w, const char *key) {
  const char *s = st_doc_str(&r->doc, st_doc_getk(&r->doc, w, key), NULL);
  return s ? st_xstrdup(s) : NULL;
}

static int add_waiver(st_registry *r, uint16_t file, const char *id,
                      st_val w, const char *ptr, char *err, size_t errlen) {
  static const char *const required[] = {"policy", "subject", "reason",
                                         "expires"};
  char p[1024];
  if (ST_VAL_TAG(w) != ST_T_OBJ)
    return fail_at(r, file, ptr, err, errlen, "a waiver must be an object");
  for (size_t i = 0; i < 4; i++) {
    st_val v = st_doc_getk(&r->doc, w, required[i]);
    snprintf(p, sizeof p, "%s/%s", ptr, required[i]);
    if (ST_VAL_TAG(v) != ST_T_STR)
      return fail_at(r, file, v == ST_VAL_ABSENT ? ptr : p, err, errlen,
                     v == ST_VAL_ABSENT ? "a waiver needs policy, subject, "
                     "reason and expires" : "expected a string");
  }
  for (size_t i = 0; i < r->nwaivers; i++)
    if (!strcmp(r->waivers[i].id, id)) {
      char msg[700], owhere[512];
      snprintf(p, sizeof p, "/waivers/%s", id);
      st_registry_where(r, r->waivers[i].file, p, ST_AT_KEY, owhere,
                        sizeof owhere);
      snprintf(msg, sizeof msg, "duplicate waiver id '%s': already defined "
               "at %s", id, owhere);
      return fail_where(r, file, ptr, ST_AT_KEY, err, errlen, msg);
    }
  const char *exp = st_doc_str(&r->doc, st_doc_getk(&r->doc, w, "expires"),
                               NULL);
  double expires;
  if (st_time_parse(exp, &expires) != 0) {
    snprintf(p, sizeof p, "%s/expires", ptr);
    return fail_at(r, file, p, err, errlen,
                   "expected an RFC 3339 date (YYYY-MM-DD) or time");
  }
  st_grow((void **)&r->waivers, &r->waivers_cap, r->nwaivers + 1,
          sizeof *r->waivers);
  st_waiver *x = &r->waivers[r->nwaivers++];
  x->id = st_xstrdup(id);
  x->policy = waiver_string(r, w, "policy");
  x->subject = waiver_string(r, w, "subject");
  x->owner = waiver_string(r, w, "owner");
  x->reason = waiver_string(r, w, "reason");
  /* A date alone means the waiver holds through that day. */
  x->expires = strlen(exp) == 10 ? expires + 86400 : expires;
  x->file = file;
  return ST_OK;
}

static int add_section(st_registry *r, uint16_t file, const char *name,
                       st_val section, char *err, size_t errlen) {
  int kind = strcmp(name, "waivers") ? st_kind_parse(name) : -2;
  st_buf ptr;
  st_buf_init(&ptr);
  st_buf_pointer_token(&ptr, name);
  size_t base = ptr.len;
  int rc = ST_OK;
  if (kind == -1 || (kind >= 0 && strcmp(name, st_kind_section((st_kind)kind))))
    rc = fail_at(r, file, ptr.data, err, errlen,
                 "unknown section (expected owners, systems, datasets, "
                 "models, workflows or waivers)");
  else if (ST_VAL_TAG(section) != ST_T_OBJ)
    rc = fail_at(r, file, ptr.data, err, errlen,
                 "a section must be an object keyed by id");
  for (uint32_t i = 0; !rc && i < st_doc_len(&r->doc, section); i++) {
    uint32_t id = st_doc_key_at(&r->doc, section, i);
    const char *ids = st_doc_atom_str(&r->doc, id, NULL);
    ptr.len = base;
    st_buf_pointer_token(&ptr, ids);
    st_val v = st_doc_val_at(&r->doc, section, i);
    if (!*ids) rc = fail_where(r, file, ptr.data, ST_AT_KEY, err, errlen,
                               "empty id");
    else if (kind == -2) rc = add_waiver(r, file, ids, v, ptr.data, err, errlen);
    else rc = add_node(r, file, (st_kind)kind, id, v, ptr.data, err, errlen);
  }
  st_buf_free(&ptr);
  return rc;
}

/* }=== */

static int add_file(st_registry *r, const cJSON *root, const char *name,
                    const char *text, int unlocated, st_yaml_pos *yaml,
                    char *err, size_t errlen) {
  if (r->nfiles >= UINT16_MAX)
    return st_errf(err, errlen, ST_EINPUT, "%s: too many registry files",
                   name);
  st_grow((void **)&r->files, &r->files_cap, r->nfiles + 1, sizeof *r->files);
  uint16_t file = (uint16_t)r->nfiles++;
  st_regfile *f = &r->files[file];
  f->name = st_xstrdup(name);
  f->text = text ? st_xstrdup(text) : NULL;
  f->unlocated = unlocated;
  f->yaml = yaml;
  f->root = ST_VAL_ABSENT;
  if (!cJSON_IsObject(root))
    return fail_at(r, file, "", err, errlen,
                   "a registry file must hold a JSON object of sections");
  st_buf dup;
  st_buf_init(&dup);
  if (st_doc_import(&r->doc, root, &f->root, &dup) != ST_OK) {
    const char *slash = strrchr(dup.data, '/');
    char msg[600];
    int depth = 0;
    for (const char *p = dup.data; *p; p++) depth += *p == '/';
    snprintf(msg, sizeof msg, "duplicate %s '%s'", depth == 2 ? "id" : "key",
             slash ? slash + 1 : "");
    int rc = fail_where(r, file, dup.data, ST_AT_DUP, err, errlen, msg);
    st_buf_free(&dup);
    return rc;
  }
  st_buf_free(&dup);
  for (uint32_t i = 0; i < st_doc_len(&r->doc, f->root); i++) {
    const char *sec = st_doc_atom_str(&r->doc,
                                      st_doc_key_at(&r->doc, f->root, i), NULL);
    if (sec[0] == '$' || !strncmp(sec, "x-", 2)) continue;  /* metadata */
    int rc = add_section(r, file, sec, st_doc_val_at(&r->doc, f->root, i),
                         err, errlen);
    if (rc) return rc;
  }
  return ST_OK;
}

int st_registry_add(st_registry *r, const cJSON *root, const char *name,
                    const char *text, char *err, size_t errlen) {
  return add_file(r, root, name, text, 0, NULL, err, errlen);
}

int st_registry_add_unlocated(st_registry *r, const cJSON *root,
                              const char *name, char *err, size_t errlen) {
  return add_file(r, root, name, NULL, 1, NULL, err, errlen);
}

cJSON *st_registry_export(const st_registry *r) {
  cJSON *doc = cJSON_CreateObject();
  for (int k = 0; k < ST_KIND_COUNT; k++) {
    cJSON *sec = cJSON_AddObjectToObject(doc, st_kind_section((st_kind)k));
    for (size_t i = 0; i < r->graph.kind_count[k]; i++) {
      const st_node *n = &r->graph.nodes[r->graph.kind_nodes[k][i]];
      cJSON_AddItemToObject(sec, st_doc_atom_str(&r->doc, n->id, NULL),
                            st_doc_export(&r->doc, n->value));
    }
  }
  cJSON *w = cJSON_AddObjectToObject(doc, "waivers");
  for (size_t i = 0; i < r->nwaivers; i++) {
    st_val v = st_doc_getk(&r->doc, r->files[r->waivers[i].file].root,
                           "waivers");
    cJSON_AddItemToObject(w, r->waivers[i].id, st_doc_export(&r->doc,
                          st_doc_getk(&r->doc, v, r->waivers[i].id)));
  }
  return doc;
}

/* {=== References ======================================================= */

static const int rel_target[ST_REL_COUNT] = {
  1 << ST_KIND_OWNER,                                  /* owner */
  1 << ST_KIND_MODEL,                                  /* uses */
  1 << ST_KIND_DATASET,                                /* reads */
  (1 << ST_KIND_SYSTEM) | (1 << ST_KIND_DATASET),      /* writes */
  1 << ST_KIND_WORKFLOW,                               /* feeds */
  (1 << ST_KIND_COUNT) - 1,                            /* depends_on */
};

static const char *target_names(st_rel rel) {
  switch (rel) {
  case ST_REL_OWNER: return "an owner";
  case ST_REL_USES: return "a model";
  case ST_REL_READS: return "a dataset";
  case ST_REL_WRITES: return "a system or a dataset";
  case ST_REL_FEEDS: return "a workflow";
  default: return "a node";
  }
}

typedef struct {
  st_registry *r;
  const st_load_opts *opts;
  char *err;
  size_t errlen;
} linker;

/* Records a reference that does not resolve: an error, or a finding when
 * the caller asked to keep going. */
static int bad_ref(linker *k, uint32_t node, const char *ptr, const char *id,
                   const char *policy, const char *what) {
  st_registry *r = k->r;
  if (!k->opts || !k->opts->keep_going)
    return fail_at(r, r->graph.nodes[node].file, ptr, k->err, k->errlen,
                   what);
  cJSON *ev = cJSON_CreateObject();
  cJSON_AddStringToObject(ev, "reference", id);
  char where[512];
  st_registry_where(r, r->graph.nodes[node].file, ptr, 0, where, sizeof where);
  cJSON_AddStringToObject(ev, "at", where);
  st_findings_add(&r->load_findings, policy, st_graph_id(&r->graph, node),
                  ST_SEV_HIGH, ST_ENF_SOFT, what, ptr, ev);
  return ST_OK;
}

static int link_one(linker *k, uint32_t node, st_rel rel, st_val target,
                    const char *ptr) {
  st_registry *r = k->r;
  size_t len;
  const char *id = st_doc_str(&r->doc, target, &len);
  uint32_t dst = st_graph_find_atom(&r->graph, st_doc_str_atom(target));
  char what[700];
  if (dst == ST_NODE_NONE) {
    snprintf(what, sizeof what, "unknown id '%s'", id);
    return bad_ref(k, node, ptr, id, "registry.dangling-ref", what);
  }
  int kind = r->graph.nodes[dst].kind;
  if (!(rel_target[rel] & (1 << kind))) {
    snprintf(what, sizeof what, "'%s' is %s %s, but %s must name %s", id,
             kind == ST_KIND_OWNER ? "an" : "a", st_kind_name((st_kind)kind),
             st_rel_name(rel), target_names(rel));
    return bad_ref(k, node, ptr, id, "registry.wrong-kind", what);
  }
  st_graph_add_edge(&r->graph, node, dst, rel);
  return ST_OK;
}

static int link_field(linker *k, uint32_t node, st_rel rel,
                      const char *node_ptr) {
  const st_doc *d = &k->r->doc;
  st_val v = st_doc_getk(d, k->r->graph.nodes[node].value, st_rel_name(rel));
  char ptr[1200];
  if (ST_VAL_TAG(v) == ST_T_STR) {               /* owner */
    snprintf(ptr, sizeof ptr, "%s/%s", node_ptr, st_rel_name(rel));
    return link_one(k, node, rel, v, ptr);
  }
  for (uint32_t i = 0; i < st_doc_len(d, v) && ST_VAL_TAG(v) == ST_T_ARR; i++) {
    st_val e = st_doc_at(d, v, i);
    snprintf(ptr, sizeof ptr, "%s/%s/%u", node_ptr, st_rel_name(rel), i);
    if (ST_VAL_TAG(e) == ST_T_OBJ) {             /* {model, version} */
      e = st_doc_getk(d, e, "model");
      strncat(ptr, "/model", sizeof ptr - strlen(ptr) - 1);
    }
    int rc = link_one(k, node, rel, e, ptr);
    if (rc) return rc;
  }
  return ST_OK;
}

/* }=== */

int st_registry_finish(st_registry *r, const st_load_opts *opts, char *err,
                       size_t errlen) {
  linker k = {r, opts, err, errlen};
  size_t n = r->graph.nnodes;
  for (uint32_t i = 0; i < n; i++) {
    char *ptr = st_registry_node_pointer(r, i);
    int rc = ST_OK;
    for (int rel = 0; rel < ST_REL_COUNT && !rc; rel++)
      rc = link_field(&k, i, (st_rel)rel, ptr);
    free(ptr);
    if (rc) return rc;
  }
  st_graph_freeze(&r->graph);
  return ST_OK;
}

/* {=== Files ============================================================ */

/* Parses one document's text and adds it; `in_memory` keeps a copy of the
 * text for error positions (a file is read again on the error path). */
static int parse_text(st_registry *r, const char *name, const char *text,
                      size_t len, int in_memory, char *err, size_t errlen) {
  r->json_bytes += len;
  if (strspn(text, " \t\r\n") == len)
    return st_errf(err, errlen, ST_EINPUT, "%s:1:1: empty file", name);
  if (st_yaml_is_yaml_name(name)) {
    st_yaml_pos *pos;
    cJSON *y = st_yaml_parse(name, text, len, &pos, err, errlen);
    if (!y) return ST_EINPUT;
    int yrc = add_file(r, y, name, NULL, 0, pos, err, errlen);
    cJSON_Delete(y);
    return yrc;
  }
  cJSON *root = st_json_parse_named(name, text, len, err, errlen);
  if (!root) return ST_EINPUT;
  int rc = st_registry_add(r, root, name, in_memory ? text : NULL, err,
                           errlen);
  cJSON_Delete(root);
  return rc;
}

static int parse_file(st_registry *r, const char *path, char *err,
                      size_t errlen) {
  size_t len;
  char *text = st_read_file(path, &len, err, errlen);
  if (!text) return ST_EIO;
  int rc = parse_text(r, path, text, len, 0, err, errlen);
  free(text);
  return rc;
}

int st_registry_load_text(st_registry *r, const char *name, const char *text,
                          size_t len, const st_load_opts *opts, char *err,
                          size_t errlen) {
  int rc = parse_text(r, name, text, len, 1, err, errlen);
  return rc ? rc : st_registry_finish(r, opts, err, errlen);
}

/* The *.json files directly inside dir, sorted; caller frees each and the
 * array. */
static char **list_json(const char *dir, size_t *count) {
  size_t n, k = 0;
  char **names = st_list_dir(dir, &n);
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if ((st_ends_with(names[i], ".json") || st_yaml_is_yaml_name(names[i])) &&
        stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
      names[k++] = names[i];
    else free(names[i]);
  }
  *count = k;
  return names;
}

int st_registry_load(st_registry *r, const char *path,
                     const st_load_opts *opts, char *err, size_t errlen) {
  struct stat st;
  if (stat(path, &st) != 0)
    return st_errf(err, errlen, ST_EINPUT, "%s: no such file or directory",
                   path);
  int rc = ST_OK;
  if (S_ISDIR(st.st_mode)) {
    size_t n;
    char **names = list_json(path, &n);
    if (!n)
      rc = st_errf(err, errlen, ST_EINPUT, "%s: no .json, .yaml or .yml files in directory",
                   path);
    for (size_t i = 0; i < n; i++) {
      if (!rc) rc = parse_file(r, names[i], err, errlen);
      free(names[i]);
    }
    free(names);
  } else {
    rc = parse_file(r, path, err, errlen);
  }
  return rc ? rc : st_registry_finish(r, opts, err, errlen);
}

/* }=== */

const st_waiver *st_registry_waiver(const st_registry *r, const char *policy,
                                    const char *subject, double now) {
  for (size_t i = 0; i < r->nwaivers; i++) {
    const st_waiver *w = &r->waivers[i];
    if (!strcmp(w->policy, policy) && !strcmp(w->subject, subject) &&
        now < w->expires)
      return w;
  }
  return NULL;
}

void st_registry_apply_waivers(const st_registry *r, st_findings *f,
                               double now) {
  for (size_t i = 0; i < f->n; i++) {
    st_finding *x = &f->v[i];
    if (x->error || x->enforcement == ST_ENF_HARD || x->waiver) continue;
    const st_waiver *w = st_registry_waiver(r, x->policy, x->subject, now);
    if (w) x->waiver = st_xstrdup(w->id);
  }
}
