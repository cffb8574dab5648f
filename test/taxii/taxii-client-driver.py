"""Drives tigraph's TAXII 2.1 server with the OASIS client (taxii2client.v21) and prints what it saw as JSON.

Arguments: base URL, bearer token with read permission, bearer token without permission, CA file ('' = none),
bearer token with write permission.
"""
import json
import sys

import requests
from taxii2client.v21 import Collection, Server, as_pages



class TokenAuth(requests.auth.AuthBase):
    def __init__(self, key):
        self.key = key

    def __call__(self, r):
        r.headers["Authorization"] = "Bearer " + self.key
        return r


base, token, weak_token, ca, write_token = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
verify = ca if ca else True
out = {}

server = Server(f"{base}/taxii2/", auth=TokenAuth(token), verify=verify)
out["title"] = server.title
api_root = server.api_roots[0]
out["api_root_url"] = api_root.url
out["versions"] = api_root.versions
out["max_content_length"] = api_root.max_content_length
out["collections"] = [{"id": c.id, "title": c.title, "can_read": c.can_read, "can_write": c.can_write} for c in api_root.collections]

col = next(c for c in api_root.collections if c.id == "all")
ids = []
pages = 0
for envelope in as_pages(col.get_objects, per_request=50):
    pages += 1
    ids.extend(o["id"] for o in envelope.get("objects", []))
out["object_ids"] = ids
out["pages"] = pages

manifest = []
for envelope in as_pages(col.get_manifest, per_request=50):
    manifest.extend(envelope.get("objects", []))
out["manifest"] = manifest

indicator = next(i for i in ids if i.startswith("indicator--"))
out["one_object"] = col.get_object(indicator)
out["versions_of_one"] = col.object_versions(indicator)

stamps = sorted({m["date_added"] for m in manifest})
latest = stamps[-1]
out["after_latest"] = col.get_objects(added_after=latest)
middle = stamps[len(stamps) // 2]
after_middle = []
for envelope in as_pages(col.get_objects, per_request=50, added_after=middle):
    after_middle.extend(o["id"] for o in envelope.get("objects", []))
out["middle_stamp"] = middle
out["after_middle_ids"] = after_middle
out["indicators_only"] = [o["type"] for o in col.get_objects(type="indicator", limit=10).get("objects", [])]

errors = {}
try:
    Collection(f"{base}/taxii2/api/collections/no-such-collection/", auth=TokenAuth(token), verify=verify).refresh()
except requests.exceptions.HTTPError as e:
    errors["unknown_collection"] = {"status": e.response.status_code, "body": e.response.json(), "type": e.response.headers.get("Content-Type")}
try:
    Collection(col.url, auth=TokenAuth(weak_token), verify=verify).get_objects()
except requests.exceptions.HTTPError as e:
    errors["no_permission"] = {"status": e.response.status_code, "body": e.response.json()}
r = requests.get(col.url + "objects/", headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}, verify=verify)
errors["wrong_accept"] = {"status": r.status_code, "body": r.json()}
r = requests.get(base + "/taxii2/api/collections/all/objects/", headers={"Authorization": f"Bearer {token}", "Accept": "application/taxii+json;version=2.1"}, params={"added_after": "yesterday"}, verify=verify)
errors["bad_added_after"] = {"status": r.status_code, "body": r.json()}
r = requests.post(base + "/taxii2/api/collections/osint/objects/", headers={"Authorization": f"Bearer {write_token}", "Accept": "application/taxii+json;version=2.1", "Content-Type": "application/json"}, data="{}", verify=verify)
errors["wrong_content_type"] = {"status": r.status_code, "body": r.json()}
try:
    col.add_objects({"objects": []})
except Exception as e:
    errors["add_without_write"] = type(e).__name__
out["errors"] = errors

writer = Server(f"{base}/taxii2/", auth=TokenAuth(write_token), verify=verify).api_roots[0]
osint = next(c for c in writer.collections if c.id == "osint")
out["osint_can_write"] = osint.can_write
new_indicator = {
    "type": "indicator", "spec_version": "2.1", "id": "indicator--4f4f7a43-5f8a-4c39-9d0c-2b6a9e9d1c0" + ("2" if base.startswith("https") else "1"),
    "created": "2026-04-01T00:00:00.000Z", "modified": "2026-04-01T00:00:00.000Z",
    "pattern": "[domain-name:value = 'added-by-taxii-" + base.split(":")[0] + ".example']", "pattern_type": "stix", "valid_from": "2026-04-01T00:00:00.000Z",
}
broken = {"type": "indicator", "spec_version": "2.1", "id": "indicator--0c7b5e0e-7c52-4c1c-8d8f-3f0d1d1b6a02", "created": "2026-04-01T00:00:00.000Z", "modified": "2026-04-01T00:00:00.000Z", "pattern": "[domain-name:value = ", "pattern_type": "stix", "valid_from": "2026-04-01T00:00:00.000Z"}
status = osint.add_objects({"objects": [new_indicator, broken]})
out["add_status"] = {"status": status.status, "total_count": status.total_count, "success_count": status.success_count, "failure_count": status.failure_count, "failures": status.failures, "pending_count": status.pending_count}
st = requests.get(f"{base}/taxii2/api/status/{status.id}/", headers={"Authorization": f"Bearer {write_token}", "Accept": "application/taxii+json;version=2.1"}, verify=verify)
out["status_poll"] = {"http": st.status_code, "status": st.json()["status"], "success_count": st.json()["success_count"]}
after_add = []
for envelope in as_pages(osint.get_objects, per_request=50, added_after=latest):
    after_add.extend(o for o in envelope.get("objects", []))
out["after_add"] = [{"type": o["type"], "name": o.get("name")} for o in after_add]
print(json.dumps(out, default=dict))
