/*
 * gitbase.h - a PR gate straight from git: the registry as it was at a git
 * ref, and the change set from it to the working tree
 * (`steward impact REGISTRY --base REF`).
 *
 * st_git_materialize writes the registry's files as they are at REF (read
 * with `git show` and `git ls-tree`, nothing in the working tree touched)
 * into a new temporary directory (ls-tree with --full-tree: from a
 * subdirectory, git would otherwise filter a tree by the working
 * directory), so the registry loader reads them as it
 * reads any registry. REGISTRY is resolved against the repository root
 * (`git rev-parse --show-prefix`), so it works from any directory inside
 * the repository. git runs without a shell (posix_spawnp, arguments as
 * given), so no ref or path can inject a command.
 *
 * st_json_patch_diff is the RFC 6902 JSON Patch that turns one registry
 * export into another: nodes removed and added whole, changed nodes member
 * by member (objects recursively; arrays and scalars replaced).
 *
 * Ownership: *dir is the caller's (st_git_cleanup removes the directory
 * and frees it); the patch is a new tree the caller deletes.
 * Threading: runs processes; one call at a time per process is fine.
 */
#ifndef ST_GITBASE_H
#define ST_GITBASE_H

#include <stddef.h>

#include <cJSON.h>

/* The registry at `ref` in a new directory *dir. Returns ST_OK, or
 * ST_EINPUT with err ("REF:PATH: not in the repository", "not a git
 * repository", git's own message). */
int st_git_materialize(const char *registry, const char *ref, char **dir,
                       char *err, size_t errlen);

/* Removes what st_git_materialize wrote and frees dir. */
void st_git_cleanup(char *dir);

/* The JSON Patch from `from` to `to` (two registry exports). */
cJSON *st_json_patch_diff(const cJSON *from, const cJSON *to);

#endif
