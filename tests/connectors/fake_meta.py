"""Meta Marketing API (Graph API) custom audiences, for fake_platform.py.

Paths (after the version, /v19.0): GET and POST act_<account>/customaudiences,
POST and DELETE <audience_id>/users, GET <audience_id>?fields=approximate_count_*.
The token is the `access_token` parameter. Errors: {"error": {"message", "type",
"code", "error_subcode", "fbtrace_id"}}.
"""
import re
import urllib.parse

from fake_platform import Violation, member

SCHEMA = {"EMAIL_SHA256", "PHONE_SHA256", "EXTERN_ID", "EMAIL", "PHONE", "MADID"}
SOURCES = {"USER_PROVIDED_ONLY", "PARTNER_PROVIDED_ONLY", "BOTH_USER_AND_PARTNER_PROVIDED"}


def error(status, message, code=100, subcode=None):
    e = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode:
        e["error_subcode"] = subcode
    return status, {"error": e}


def parts(path):
    p = [x for x in path.split("/") if x]
    if not p or not re.fullmatch(r"v\d+\.\d+", p[0]):
        raise Violation(f"{path}: no Graph API version (/vNN.N/...)")
    return p[1:]


def kind(path):
    p = [x for x in path.split("/") if x][1:]
    if len(p) == 2 and p[1] == "customaudiences":
        return "customaudiences"
    if len(p) == 2 and p[1] == "users":
        return "users"
    return "audience"


def check_auth(fake, headers, query, body):
    token = query.get("access_token", [None])[0]
    if token != fake.args.token:
        raise Violation(f"access_token parameter is {token!r}, not the configured token")


def handle(fake, method, path, query, headers, body):
    p = parts(path)
    if len(p) == 2 and p[1] == "customaudiences":
        if p[0] != "act_" + fake.args.account:
            raise Violation(f"{path}: not the ad account act_{fake.args.account}")
        if method == "GET":
            return list_audiences(fake, path, query)
        if method == "POST":
            return create(fake, body)
    elif len(p) == 2 and p[1] == "users" and method in ("POST", "DELETE"):
        return users(fake, p[0], method, body)
    elif len(p) == 1 and method == "GET":
        a = fake.audiences.get(p[0])
        if not a:
            return error(400, f"Unsupported get request. Object with ID '{p[0]}' does not exist", 100, 33) + ({},)
        fields = set(query.get("fields", [""])[0].split(","))
        out = {"id": p[0]}
        lo, hi = fake.sizes()[p[0]]
        if "approximate_count_lower_bound" in fields:
            out["approximate_count_lower_bound"] = lo
        if "approximate_count_upper_bound" in fields:
            out["approximate_count_upper_bound"] = hi
        return 200, out, {}
    raise Violation(f"{method} {path}: not a custom audience call")


def list_audiences(fake, path, query):
    fields = set(query.get("fields", [""])[0].split(","))
    if not {"id", "name"} <= fields:
        raise Violation(f"GET customaudiences without fields=id,name ({sorted(fields)})")
    ids = sorted(fake.audiences, key=int)
    start = int(query.get("after", ["0"])[0])
    limit = min(int(query.get("limit", ["25"])[0]), fake.args.page_cap)
    page = ids[start:start + limit]
    out = {"data": [{"id": aid, "name": fake.audiences[aid]["name"]} for aid in page],
           "paging": {"cursors": {"before": str(start), "after": str(start + len(page))}}}
    if start + len(page) < len(ids):
        q = {k: v[0] for k, v in query.items()}
        q["after"] = str(start + len(page))
        out["paging"]["next"] = f"http://127.0.0.1:{fake.port}{path}?{urllib.parse.urlencode(q)}"
    return 200, out, {}


def create(fake, body):
    for field in ("name", "subtype", "customer_file_source"):
        if not isinstance(body.get(field), str) or not body[field]:
            raise Violation(f"POST customaudiences without {field}")
    if body["subtype"] != "CUSTOM" or body["customer_file_source"] not in SOURCES:
        raise Violation(f"POST customaudiences: subtype {body['subtype']}, customer_file_source {body['customer_file_source']}")
    return 200, {"id": fake.add_audience(body["name"])}, {}


def users(fake, aid, method, body):
    payload, session = body.get("payload"), body.get("session")
    if not isinstance(payload, dict) or not isinstance(session, dict):
        raise Violation(f"{method} users: payload and session are required objects")
    schema = payload.get("schema")
    schema = [schema] if isinstance(schema, str) else schema
    if not schema or any(s not in SCHEMA for s in schema):
        raise Violation(f"{method} users: schema {schema!r}")
    data = payload.get("data")
    if not isinstance(data, list) or not data or len(data) > 10000:
        raise Violation(f"{method} users: data must hold 1 to 10 000 rows ({len(data or [])})")
    if any(not isinstance(r, list) or len(r) != len(schema) for r in data):
        raise Violation(f"{method} users: a row is not as long as the schema")
    if not isinstance(session.get("session_id"), int) or not isinstance(session.get("batch_seq"), int) \
            or not isinstance(session.get("last_batch_flag"), bool):
        raise Violation(f"{method} users: session needs session_id (integer), batch_seq, last_batch_flag")
    a = fake.audiences.get(aid)
    if not a:
        return error(400, f"Unsupported post request. Object with ID '{aid}' does not exist", 100, 33) + ({},)
    fake.uploads += 1
    if fake.uploads == fake.args.reject_upload:
        fake.rejected += 1
        return error(400, "(#100) Invalid parameter", 100, 1870053) + ({},)
    for r in data:
        m = member(dict(zip(schema, r)))
        if method == "POST":
            a["members"].add(m)
        else:
            a["members"].discard(m)
    return 200, {"audience_id": aid, "session_id": str(session["session_id"]), "num_received": len(data),
                 "num_invalid_entries": 0, "invalid_entry_samples": {}}, {}
