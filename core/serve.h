/*
 * serve.h - `steward serve --config FILE`: the governance daemon.
 *
 * It runs policy suites on schedules (cron or every), keeps their history
 * in a store (store.h), takes observations in over HTTP, answers an API
 * (docs/serve.md lists every endpoint), alerts on new findings, reloads
 * its policy set when files change or on SIGHUP, and stops cleanly on
 * SIGTERM or SIGINT. Evaluation runs on a worker pool (pool.h), so the API
 * answers while a suite runs.
 *
 * Threading: st_serve_main runs the daemon on the calling thread (the loop)
 * plus the pool's workers, until it stops.
 */
#ifndef ST_SERVE_H
#define ST_SERVE_H

/* Runs the daemon; returns the process exit code: 0 after a clean stop,
 * 2 for a bad config, a store that cannot be used, or an address that
 * cannot be listened on. */
int st_serve_main(const char *config_path);

#endif
