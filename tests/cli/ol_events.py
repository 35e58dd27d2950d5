#!/usr/bin/python3
"""OpenLineage events for the lineage tests, shaped as the integrations
write them (tests/cli/lineage_test.sh).

Usage: ol_events.py SHAPE RUNS FAILED [LAST]
  SHAPE   airflow (the task sales_scoring.score_leads, declaring its model
          by a steward_model run facet) or spark (churn_features..., whose
          model is an input dataset)
  RUNS    how many runs, one a day, the last on LAST (YYYY-MM-DD,
          default 2026-11-25)
  FAILED  how many of them fail (the most recent ones)
Prints JSON Lines: each run's START, then its COMPLETE or FAIL.
"""
import datetime
import json
import sys

shape, runs, failed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
last = datetime.date.fromisoformat(sys.argv[4] if len(sys.argv) > 4
                                   else "2026-11-25")
RUN = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
AIRFLOW = "https://github.com/apache/airflow/tree/providers-openlineage/1.14.0"
SPARK = "https://github.com/OpenLineage/OpenLineage/tree/1.23.0/integration/spark"


def facet(producer, url, **fields):
    d = {"_producer": producer, "_schemaURL": url}
    d.update(fields)
    return d


def airflow(kind, at, run_id, fail):
    run_facets = {
        "processing_engine": facet(AIRFLOW, "https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet",
                                   version="2.10.3", name="Airflow", openlineageAdapterVersion="1.14.0"),
        "steward_model": facet("https://github.com/northwind/airflow-plugins/tree/v0.4.2",
                               "https://northwind.example/openlineage/StewardModelRunFacet.json",
                               name="LeadScorer", version="3.2.0"),
    }
    if fail:
        run_facets["errorMessage"] = facet(AIRFLOW, "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
                                           message="TimeoutError: scoring took longer than 600 s",
                                           programmingLanguage="python")
    return {"eventType": kind, "eventTime": at, "producer": AIRFLOW, "schemaURL": RUN,
            "run": {"runId": run_id, "facets": run_facets},
            "job": {"namespace": "airflow-prod", "name": "sales_scoring.score_leads",
                    "facets": {"jobType": facet(AIRFLOW, "https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet",
                                                processingType="BATCH", integration="AIRFLOW", jobType="TASK")}},
            "inputs": [{"namespace": "postgres://crm-db.internal:5432", "name": "crm.public.leads", "facets": {}}],
            "outputs": []}


def spark(kind, at, run_id, fail):
    ev = {"eventTime": at, "producer": SPARK, "schemaURL": RUN, "eventType": kind,
          "run": {"runId": run_id, "facets": {
              "spark_version": facet(SPARK, RUN, **{"spark-version": "3.5.1"})}},
          "job": {"namespace": "spark-prod",
                  "name": "churn_features.execute_insert_into_hadoop_fs_relation_command",
                  "facets": {}},
          "inputs": [{"namespace": "s3://northwind-ml-models", "name": "churn-predictor",
                      "facets": {"version": facet(SPARK, "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet",
                                                  datasetVersion="7")}}],
          "outputs": []}
    if fail:
        ev["run"]["facets"]["errorMessage"] = facet(SPARK, "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
                                                    message="org.apache.spark.SparkException: Job aborted",
                                                    programmingLanguage="scala")
    return ev


make = airflow if shape == "airflow" else spark
for i in range(runs):
    date = (last - datetime.timedelta(days=runs - 1 - i)).isoformat()
    run_id = "%s-%04d-7000-8000-%012d" % ("0193c0de" if shape == "airflow" else "5e1f0c2a", i, i)
    fail = i >= runs - failed
    for kind, at in (("START", date + "T03:00:00.000000+00:00"),
                     ("FAIL" if fail else "COMPLETE", date + "T03:05:00.000000+00:00")):
        print(json.dumps(make(kind, at, run_id, fail), separators=(",", ":")))
