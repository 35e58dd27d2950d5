#!/usr/bin/python3
"""An MLflow 3.3+ model-registry webhook delivery, for the lineage tests.

Sends what mlflow/webhooks/delivery.py sends: the payload {entity, action,
timestamp, data} as json.dumps writes it, with X-MLflow-Delivery-Id (a
UUID), X-MLflow-Timestamp (epoch seconds) and X-MLflow-Signature
"v1,<base64 HMAC-SHA256(secret, "<delivery id>.<timestamp>.<payload>")>".

Usage: mlflow_hook.py URL SECRET EVENT NAME VERSION [options]
  EVENT: model_version.created, model_version_alias.created,
         registered_model.created...
  --alias A        the alias (model_version_alias.created)
  --delivery ID    the delivery id (default: a new UUID)
  --age SECONDS    sign as of that many seconds ago
  --secret-for-signature S   sign with another secret (a bad signature)
Prints "STATUS BODY" and the delivery id on a second line.
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid

p = argparse.ArgumentParser()
for a in ("url", "secret", "event", "name", "version"):
    p.add_argument(a)
p.add_argument("--alias")
p.add_argument("--delivery")
p.add_argument("--age", type=int, default=0)
p.add_argument("--secret-for-signature")
args = p.parse_args()

entity, action = args.event.rsplit(".", 1)
if entity == "model_version":
    data = {"name": args.name, "version": args.version,
            "source": "models:/m-%s" % args.version, "run_id": "8f1e2d3c4b5a6978",
            "tags": {"team": "ml-platform"}, "description": "retrained on November data"}
elif entity == "model_version_alias":
    data = {"name": args.name, "alias": args.alias, "version": args.version}
else:
    data = {"name": args.name, "tags": {}, "description": None}
payload = json.dumps({"entity": entity, "action": action,
                      "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                      "data": data})
delivery = args.delivery or str(uuid.uuid4())
timestamp = str(int(time.time()) - args.age)
secret = args.secret_for_signature or args.secret
signed = "%s.%s.%s" % (delivery, timestamp, payload)
signature = base64.b64encode(hmac.new(secret.encode("utf-8"), signed.encode("utf-8"),
                                      hashlib.sha256).digest()).decode("utf-8")
request = urllib.request.Request(args.url, data=payload.encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/json",
                                          "X-MLflow-Delivery-Id": delivery,
                                          "X-MLflow-Timestamp": timestamp,
                                          "X-MLflow-Signature": "v1," + signature})
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        status, answer = response.status, response.read()
except urllib.error.HTTPError as e:
    status, answer = e.code, e.read()
print(status, json.dumps(json.loads(answer or b"null"), separators=(",", ":")))
print(delivery)
