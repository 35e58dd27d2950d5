/*
 * yamlreg.h - YAML registry files: parsed with libyaml into the same JSON
 * tree a .json file gives, with the position of every value kept so errors
 * still say FILE:LINE:COL.
 *
 * A registry directory may mix .json, .yaml and .yml files (docs/
 * registry.md); YAML lets people keep comments beside their entries. One
 * document per file. Scalars follow the YAML 1.2 core schema: `null`, `~`
 * and empty plain scalars are null, `true`/`false` booleans, plain
 * numbers numbers, anything quoted a string (so `schema_version: "5"`
 * when a string is meant). Mapping keys are scalars. Anchors and aliases
 * work, but what aliases expand to is bounded (ST_YAML_MAX_NODES in all,
 * and nesting ST_YAML_MAX_DEPTH deep): a billion-laughs document is an
 * error naming the alias, not an hour of work.
 *
 * Positions: st_yaml_where gives the line and column (from 1) of the value
 * a JSON Pointer names, or of its member name, or of the deepest value
 * that exists on the way — as jsonpos.h does for JSON text.
 *
 * Ownership: st_yaml_parse returns a cJSON tree (cJSON_Delete) and a
 * position map (st_yaml_pos_free). Threading: reentrant.
 */
#ifndef ST_YAMLREG_H
#define ST_YAMLREG_H

#include <stddef.h>

#include <cJSON.h>

#define ST_YAML_MAX_NODES 1000000
#define ST_YAML_MAX_DEPTH 64

typedef struct st_yaml_pos st_yaml_pos;

/* Parses text (len bytes) named `name`. Returns the tree and *pos, or
 * NULL with err "NAME:LINE:COL: what". */
cJSON *st_yaml_parse(const char *name, const char *text, size_t len,
                     st_yaml_pos **pos, char *err, size_t errlen);

/* The position of pointer's value (at_key: of its member name) into *line
 * and *col; the deepest existing value when the pointer goes further. */
void st_yaml_where(const st_yaml_pos *p, const char *pointer, int at_key,
                   int *line, int *col);

void st_yaml_pos_free(st_yaml_pos *p);

/* True when path names a YAML file (.yaml or .yml). */
int st_yaml_is_yaml_name(const char *path);

#endif
