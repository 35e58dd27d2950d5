/*
 * registry.h - load, merge and validate registry JSON into a graph.
 *
 * A registry is one JSON or YAML file or a directory of them (every
 * *.json, *.yaml and *.yml directly inside, in name order; YAML through
 * yamlreg.h, with the same positions), merged: ids are unique across all files and kinds.
 * Each file is parsed with cJSON, checked (sections, known field types, stage
 * values, dates), copied into the registry's st_doc and then freed, so only
 * the compact copy stays resident. Once every file is in, references become
 * typed edges of the graph; a reference to an unknown id (or to a node of the
 * wrong kind) is a load error, or with keep_going a finding of the built-in
 * `registry.dangling-ref` (`registry.wrong-kind`) policy.
 *
 * Every error names FILE:LINE:COL and the JSON Pointer of the field at fault.
 * Positions are recovered from the file text only on the error path
 * (jsonpos.h). Ownership: st_registry owns its doc, graph, file names,
 * waivers and load findings; free with st_registry_free. Threading: loading
 * is single-threaded; a loaded registry is read-only and may be shared.
 */
#ifndef ST_REGISTRY_H
#define ST_REGISTRY_H

#include <stddef.h>

#include <cJSON.h>

#include "doc.h"
#include "finding.h"
#include "graph.h"

typedef struct {
  char *id, *policy, *subject, *owner, *reason;
  double expires;            /* epoch seconds; the waiver holds before it
                              * (a date alone: through the end of that day) */
  uint16_t file;
} st_waiver;

typedef struct {
  char *name;                /* path as given, or a label for in-memory JSON */
  char *text;                /* kept only for in-memory sources, else NULL */
  int unlocated;             /* no text to point into: errors name no line */
  struct st_yaml_pos *yaml;  /* a YAML file's positions (yamlreg.h) */
  st_val root;
} st_regfile;

typedef struct st_registry {
  st_doc doc;
  st_graph graph;
  st_regfile *files;
  size_t nfiles, files_cap;
  st_waiver *waivers;
  size_t nwaivers, waivers_cap;
  st_findings load_findings;
  size_t json_bytes;
} st_registry;

typedef struct {
  int keep_going;            /* dangling references become findings */
} st_load_opts;

void st_registry_init(st_registry *r);
void st_registry_free(st_registry *r);

/* Loads a file or a directory of *.json files and builds the graph.
 * Returns ST_OK or ST_EINPUT/ST_EIO with err "FILE:LINE:COL: what". */
int st_registry_load(st_registry *r, const char *path,
                     const st_load_opts *opts, char *err, size_t errlen);

/* Loads one JSON document held in memory (a request body, stdin); name
 * labels its errors, which keep their line and column. */
int st_registry_load_text(st_registry *r, const char *name, const char *text,
                          size_t len, const st_load_opts *opts, char *err,
                          size_t errlen);

/* The same in steps, for registries that do not come from disk (tests build
 * them inline, impact patches them): add each document, then finish.
 * `text`, when not NULL, is the JSON the document was parsed from; it is
 * copied so errors found later can still give positions. */
int st_registry_add(st_registry *r, const cJSON *root, const char *name,
                    const char *text, char *err, size_t errlen);
int st_registry_finish(st_registry *r, const st_load_opts *opts, char *err,
                       size_t errlen);

/* Adds a document that has no text a user could open (a registry after a
 * change): errors name `name` and the JSON Pointer, without line:col. */
int st_registry_add_unlocated(st_registry *r, const cJSON *root,
                              const char *name, char *err, size_t errlen);

/* The whole registry as one JSON document: each section an object of its
 * nodes (in load order) and the waivers. A new tree the caller frees. */
cJSON *st_registry_export(const st_registry *r);

/* "FILE:LINE:COL" of a pointer within file number `file`: of the value it
 * names, or with at_key of the member name (for errors about a whole
 * entry). */
void st_registry_where(const st_registry *r, uint16_t file,
                       const char *pointer, int at_key, char *out,
                       size_t outlen);

/* The JSON Pointer of a node ("/workflows/ID"), escaped; caller frees. */
char *st_registry_node_pointer(const st_registry *r, uint32_t node);

/* The waiver that accepts (policy, subject) at time now, or NULL. */
const st_waiver *st_registry_waiver(const st_registry *r, const char *policy,
                                    const char *subject, double now);

/* Marks the findings a waiver accepts (sets their `waiver`). Findings of
 * hard-mandatory policies and errors are never waived: that is what makes
 * a policy hard. */
void st_registry_apply_waivers(const st_registry *r, st_findings *f,
                               double now);

#endif
