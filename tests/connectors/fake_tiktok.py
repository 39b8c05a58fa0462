"""TikTok API for Business audiences (v1.3), for fake_platform.py.

Paths (after /open_api/v1.3): GET dmp/custom_audience/list/ and dmp/custom_audience/get/,
POST segment/audience/ (create), POST segment/mapping/ (append, delete). The token is
the Access-Token header. Every answer is HTTP 200 with {"code", "message", "request_id",
"data"}; code 0 is success.
"""
import json
import re

from fake_platform import Violation, member

ID_TYPES = {"EMAIL_SHA256", "PHONE_SHA256", "IDFA_SHA256", "GAID_SHA256", "EXTERNAL_ID"}


def ok(data):
    return 200, {"code": 0, "message": "OK", "request_id": "2026120700000000", "data": data}, {}


def error(status, message, code=40002):
    return 200, {"code": code, "message": message, "request_id": "2026120700000001", "data": {}}


def kind(path):
    return path.split("/v1.3/", 1)[-1]


def check_auth(fake, headers, query, body):
    if headers.get("access-token") != fake.args.token:
        raise Violation("no Access-Token header with the configured token")


def handle(fake, method, path, query, headers, body):
    m = re.fullmatch(r"/open_api/v1\.3/(.*)", path)
    if not m:
        raise Violation(f"{path}: not under /open_api/v1.3/")
    rest = m.group(1)
    if method == "GET" and rest in ("dmp/custom_audience/list/", "dmp/custom_audience/get/"):
        if query.get("advertiser_id", [None])[0] != fake.args.account:
            raise Violation(f"{rest}: advertiser_id is not {fake.args.account}")
        return list_audiences(fake, query) if rest.endswith("list/") else get(fake, query)
    if method == "POST" and rest == "segment/audience/":
        if body.get("advertiser_id") != fake.args.account or body.get("action") != "create" \
                or not body.get("custom_audience_name") or body.get("id_type") not in ID_TYPES:
            raise Violation(f"segment/audience/: advertiser_id, action create, custom_audience_name, id_type: {body}")
        return ok({"audience_id": fake.add_audience(body["custom_audience_name"])})
    if method == "POST" and rest == "segment/mapping/":
        return mapping(fake, body)
    raise Violation(f"{method} {path}: not an audience call")


def details(fake, aid):
    a = fake.audiences[aid]
    return {"audience_id": aid, "name": a["name"], "cover_num": len(a["members"]), "is_valid": True,
            "audience_type": "Partner Audience"}


def list_audiences(fake, query):
    page, size = int(query.get("page", ["1"])[0]), int(query.get("page_size", ["10"])[0])
    if size > 100:
        raise Violation("page_size above 100")
    size = min(size, fake.args.page_cap)
    ids = sorted(fake.audiences, key=int)
    chunk = ids[(page - 1) * size:page * size]
    return ok({"list": [details(fake, aid) for aid in chunk],
               "page_info": {"page": page, "page_size": size, "total_number": len(ids),
                             "total_page": max(1, -(-len(ids) // size))}})


def get(fake, query):
    ids = json.loads(query.get("custom_audience_ids", ["[]"])[0])
    if not ids or any(i not in fake.audiences for i in ids):
        return error(200, f"Audience {ids} does not exist", 40001) + ({},)
    return ok({"list": [{"audience_details": details(fake, aid), "audience_history": []} for aid in ids]})


def mapping(fake, body):
    schema, rows = body.get("id_schema"), body.get("batch_data")
    if body.get("advertiser_ids") != [fake.args.account] or body.get("action") not in ("append", "delete"):
        raise Violation(f"segment/mapping/: advertiser_ids, action append|delete: {body.get('advertiser_ids')}")
    if not schema or any(s not in ID_TYPES for s in schema) or not isinstance(rows, list) or not rows \
            or len(rows) > 10000:
        raise Violation("segment/mapping/: id_schema and 1 to 10 000 batch_data rows")
    fake.uploads += 1
    if fake.uploads == fake.args.reject_upload:
        fake.rejected += 1
        return error(200, "Invalid id format.", 40002) + ({},)
    for row in rows:
        if not isinstance(row, list) or len(row) != len(schema):
            raise Violation("segment/mapping/: a row is not as long as id_schema")
        aids = {a for cell in row for a in cell.get("audience_ids", [])}
        if len(aids) != 1 or not aids <= set(fake.audiences):
            return error(200, f"audience_ids {sorted(aids)} do not exist", 40001) + ({},)
        members = fake.audiences[aids.pop()]["members"]
        m = member({s: cell["id"] for s, cell in zip(schema, row)})
        (members.add if body["action"] == "append" else members.discard)(m)
    return ok({})
