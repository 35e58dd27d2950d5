/*
 * replay.h - `steward replay --store DB RUN`: evaluate a stored run again
 * from what it recorded and say whether it reproduces.
 *
 * A run records its clock, its observations' high-water mark, and the
 * registry and policy set it used (content-addressed blobs in the store).
 * Replay opens a session from those blobs, loads the observations up to the
 * mark, evaluates the policies the run evaluated at its clock, and compares
 * the findings with the stored ones field by field.
 *
 * Threading: single-threaded; owns nothing past the call.
 */
#ifndef ST_REPLAY_H
#define ST_REPLAY_H

#include <stdint.h>
#include <stdio.h>

/* Returns the exit code: 0 reproduced (prints "reproduced: …"), 1 the
 * findings differ (prints each difference), 2 the run is unknown, did not
 * complete, or its inputs are past retention (the message on err). */
int st_replay(const char *store_path, int64_t run, FILE *out, FILE *err);

#endif
