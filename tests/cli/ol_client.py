#!/usr/bin/python3
"""What an OpenLineage client's HTTP transport sends, for the lineage tests.

The real client (openlineage-python) is not installed here: this writes its
request by hand from its documented behaviour. Configured as in
openlineage.yml, `transport: {type: http, url, endpoint, auth: {type:
api_key, apiKey}}` (given here as JSON), it POSTs each event on its own to
urljoin(url, endpoint), the endpoint defaulting to "api/v1/lineage", with
"Content-Type: application/json" and "Authorization: Bearer <apiKey>", the
event serialized as the client's Serde does (json.dumps, keys sorted,
nulls left out), and treats any status of 400 or more as a failure.

Usage: ol_client.py CONFIG.json EVENTS
  EVENTS: JSON Lines or one JSON array. Prints "STATUS BODY" per event.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request


def remove_nulls(x):
    if isinstance(x, dict):
        return {k: remove_nulls(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [remove_nulls(v) for v in x]
    return x


config = json.load(open(sys.argv[1]))["transport"]
assert config["type"] == "http"
url = urllib.parse.urljoin(config["url"].rstrip("/") + "/",
                           config.get("endpoint", "api/v1/lineage"))
headers = {"Content-Type": "application/json",
           "User-Agent": "openlineage-python/1.23.0 (hand-written test client)"}
auth = config.get("auth", {})
if auth.get("type") == "api_key":
    headers["Authorization"] = "Bearer " + auth.get("apiKey", auth.get("api_key", ""))

text = open(sys.argv[2]).read()
if text.lstrip().startswith("["):
    events = json.loads(text)
else:
    events = [json.loads(line) for line in text.splitlines() if line.strip()]
failed = 0
for event in events:
    body = json.dumps(remove_nulls(event), sort_keys=True).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            status, answer = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, answer = e.code, e.read()
    failed += status >= 400
    print(status, json.dumps(json.loads(answer or b"null"), separators=(",", ":")))
sys.exit(1 if failed else 0)
