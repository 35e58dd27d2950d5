/*
 * mlflow.h - MLflow model-registry webhooks (MLflow 3.3+), for the
 * daemon's POST /v1/hooks/mlflow: checking a delivery's signature and
 * reading what it announces.
 *
 * MLflow signs rather than sending a token: X-MLflow-Signature is
 * "v1,<base64 of HMAC-SHA256(secret, "<delivery id>.<timestamp>.<body>")>"
 * with X-MLflow-Delivery-Id and X-MLflow-Timestamp (epoch seconds), the
 * secret's bytes as given to MLflow. A payload is {"entity", "action",
 * "timestamp", "data"}; the events steward judges are
 * model_version.created ({name, version, source, run_id, tags,
 * description}) and model_version_alias.created ({name, alias, version}).
 *
 * Ownership: an st_mlflow_event owns its strings (st_mlflow_event_free).
 * Threading: reentrant; nothing shared.
 */
#ifndef ST_MLFLOW_H
#define ST_MLFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "registry.h"

/* Checks a delivery: ST_OK, or ST_EINPUT with err saying why (a header
 * missing, a timestamp that is not whole seconds, one more than max_age
 * seconds from now either way, a signature that does not match; the
 * signatures are compared in constant time). *stale is set when the
 * signature is good but the timestamp is too old or too new. */
int st_mlflow_verify(const unsigned char *key, size_t keylen,
                     const char *delivery, const char *timestamp,
                     const char *signature, const char *body, size_t len,
                     double now, double max_age, int *stale, char *err,
                     size_t errlen);

typedef struct {
  char *event;               /* "model_version.created" */
  char *name, *version;      /* the registered model's name in MLflow */
  char *alias;               /* model_version_alias.created, else NULL */
  int judged;                /* an event steward judges */
} st_mlflow_event;

/* Reads a payload: ST_OK with *ev (judged 0 for events steward does not
 * judge: registered_model.created, tags, alias deletion…), or ST_EINPUT
 * with err naming the field at fault. */
int st_mlflow_parse(const char *body, size_t len, st_mlflow_event *ev,
                    char *err, size_t errlen);
void st_mlflow_event_free(st_mlflow_event *ev);

/* The registered model MLflow's name is: a model whose id is the name,
 * else one whose mlflow_name is; ST_NODE_NONE when none. */
uint32_t st_mlflow_model(const st_registry *r, const char *name);

#endif
