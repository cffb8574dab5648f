"""Drives tigraph's TAXII 2.1 server with the OASIS client (taxii2client.v21) and prints what it saw as JSON.

Arguments: base URL, bearer token with read permission, bearer token without permission, CA file ('' = none).
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


base, token, weak_token, ca = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
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
out["errors"] = errors
print(json.dumps(out, default=dict))
