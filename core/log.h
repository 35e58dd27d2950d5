/*
 * log.h - the daemon's log: one JSON object per line on stderr.
 *
 * Every line has "ts" (RFC 3339, UTC, milliseconds) and "event" first, then
 * the event's own fields: requests, runs (run_started, run_finished),
 * alerts, reloads, start and stop. JSON keeps whatever a field holds
 * (registry ids, error messages) from breaking the line or forging
 * another: cJSON escapes control characters, and strings that are not
 * valid UTF-8 are replaced before they are logged (st_log_str).
 *
 * Ownership: st_log_event takes the object and frees it. Threading: a line
 * is written with one fwrite under a lock, so lines from several threads
 * never interleave.
 */
#ifndef ST_LOG_H
#define ST_LOG_H

#include <stdio.h>

#include <cJSON.h>

/* A new object with "ts" and "event" set, for the caller to add fields to
 * and pass to st_log_event. */
cJSON *st_log_begin(const char *event);

/* Writes obj as one line and frees it. */
void st_log_event(cJSON *obj);

/* Adds a string field, with invalid UTF-8 replaced by U+FFFD. */
void st_log_str(cJSON *obj, const char *key, const char *value);

/* The line of one answered HTTP request, {"ts", "event": "request",
 * "method", "target", "status", "us"}, written without building a tree:
 * the daemon writes one per request. */
void st_log_request(const char *method, const char *target, int status,
                    long long micros);

/* Where lines go (stderr unless set; tests point it at a file). */
void st_log_set_stream(FILE *f);

/* Buffered, lines wait in the stream's buffer until st_log_flush: the
 * daemon flushes once per loop iteration, before it waits for events, so a
 * burst of requests costs one write, and no line waits longer than the
 * loop's next turn. Unbuffered (the default), every line is written at
 * once. */
void st_log_set_buffered(int on);
void st_log_flush(void);

#endif
