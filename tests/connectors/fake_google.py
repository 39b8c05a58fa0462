"""Google Ads API (REST) Customer Match, for fake_platform.py.

Paths (after the version, /v17): customers/<cid>/googleAds:search (GAQL on user_list
and offline_user_data_job), customers/<cid>/userLists:mutate,
customers/<cid>/offlineUserDataJobs:create, customers/<cid>/offlineUserDataJobs/<id>
:addOperations and :run. Headers: Authorization: Bearer <token>, developer-token.
Errors: google.rpc.Status {"error": {"code", "message", "status", "details":
[GoogleAdsFailure]}}. User list names are unique per account (NAME_ALREADY_USED).
"""
import re

from fake_platform import Violation, member

IDENTIFIERS = {"hashedEmail", "hashedPhoneNumber", "thirdPartyUserId", "mobileId", "addressInfo"}
RANGES = [(500, "LESS_THAN_FIVE_HUNDRED"), (1000, "LESS_THAN_ONE_THOUSAND"), (10000, "ONE_THOUSAND_TO_TEN_THOUSAND"),
          (50000, "TEN_THOUSAND_TO_FIFTY_THOUSAND"), (100000, "FIFTY_THOUSAND_TO_ONE_HUNDRED_THOUSAND")]
SIZES = {"LESS_THAN_FIVE_HUNDRED": [0, 500], "LESS_THAN_ONE_THOUSAND": [500, 1000],
         "ONE_THOUSAND_TO_TEN_THOUSAND": [1000, 10000], "TEN_THOUSAND_TO_FIFTY_THOUSAND": [10000, 50000],
         "FIFTY_THOUSAND_TO_ONE_HUNDRED_THOUSAND": [50000, 100000]}


def error(status, message, code=None):
    name = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 404: "NOT_FOUND"}.get(status, "INVALID_ARGUMENT")
    return status, {"error": {"code": status, "message": "Request contains an invalid argument.", "status": name,
                              "details": [{"@type": "type.googleapis.com/google.ads.googleads.v17.errors.GoogleAdsFailure",
                                           "errors": [{"errorCode": code or {"requestError": "INVALID_INPUT"},
                                                       "message": message}],
                                           "requestId": "fake-request"}]}}


def size_range(n):
    for hi, name in RANGES:
        if n < hi:
            return name
    return "OVER_FIFTY_MILLION"


def kind(path):
    return path.rsplit("/", 1)[-1].split(":")[-1] if ":" in path else "other"


def check_auth(fake, headers, query, body):
    if headers.get("authorization") != "Bearer " + fake.args.token:
        raise Violation("no Authorization: Bearer <token> header")
    if headers.get("developer-token") != fake.args.developer_token:
        raise Violation("no developer-token header with the configured developer token")


def handle(fake, method, path, query, headers, body):
    m = re.fullmatch(r"/v\d+/customers/(\d+)/(.*)", path)
    if not m or method != "POST":
        raise Violation(f"{method} {path}: not a Google Ads API REST call")
    if m.group(1) != fake.args.account:
        raise Violation(f"{path}: customer {m.group(1)}, not {fake.args.account}")
    cid, rest = m.groups()
    if rest == "googleAds:search":
        return search(fake, cid, body)
    if rest == "userLists:mutate":
        return mutate(fake, cid, body)
    if rest == "offlineUserDataJobs:create":
        return create_job(fake, cid, body)
    j = re.fullmatch(r"offlineUserDataJobs/(\d+):(addOperations|run)", rest)
    if j:
        job = fake.jobs.get(f"customers/{cid}/offlineUserDataJobs/{j.group(1)}")
        if not job:
            return error(404, "Resource was not found.") + ({},)
        return (add_operations if j.group(2) == "addOperations" else run)(fake, job, body)
    raise Violation(f"POST {path}: unknown method")


def list_resource(cid, aid):
    return f"customers/{cid}/userLists/{aid}"


def search(fake, cid, body):
    q = body.get("query")
    if not isinstance(q, str):
        raise Violation("googleAds:search without a query")
    w = re.search(r"FROM\s+(\w+)\s+WHERE\s+(\w+)\.(\w+)\s*=\s*'((?:[^'\\]|\\.)*)'", q)
    if not w or not q.startswith("SELECT "):
        raise Violation(f"GAQL the fake does not read: {q}")
    res, _, field, value = w.groups()
    value = re.sub(r"\\(.)", r"\1", value)
    rows = []
    if res == "user_list":
        for aid, a in fake.audiences.items():
            rn = list_resource(cid, aid)
            if (field == "name" and a["name"] == value) or (field == "resource_name" and rn == value):
                rows.append({"userList": {"resourceName": rn, "name": a["name"],
                                          "sizeRangeForSearch": size_range(len(a["members"]))}})
    elif res == "offline_user_data_job":
        job = fake.jobs.get(value)
        if job:
            if job["status"] == "RUNNING":
                job["polls"] += 1
                if job["polls"] >= fake.args.job_polls:
                    finish(fake, job)
            row = {"resourceName": value, "status": job["status"]}
            if job["status"] == "FAILED":
                row["failureReason"] = "UNKNOWN"
            rows.append({"offlineUserDataJob": row})
    else:
        raise Violation(f"GAQL on {res}")
    return 200, {"results": rows, "fieldMask": q.split(" FROM")[0][7:].replace(" ", "")}, {}


def mutate(fake, cid, body):
    ops = body.get("operations")
    if not isinstance(ops, list) or len(ops) != 1 or "create" not in ops[0]:
        raise Violation("userLists:mutate: expected one create operation")
    c = ops[0]["create"]
    crm = c.get("crmBasedUserList")
    if not c.get("name") or not isinstance(crm, dict) or crm.get("uploadKeyType") not in ("CONTACT_INFO", "CRM_ID",
                                                                                        "MOBILE_ADVERTISING_ID"):
        raise Violation(f"userLists:mutate create without name or crmBasedUserList.uploadKeyType: {c}")
    if fake.by_name(c["name"]):
        return error(400, "Name is already being used for another user list for the account.",
                     {"userListError": "NAME_ALREADY_USED"}) + ({},)
    aid = fake.add_audience(c["name"])
    return 200, {"results": [{"resourceName": list_resource(cid, aid)}]}, {}


def create_job(fake, cid, body):
    job = body.get("job") or {}
    meta = job.get("customerMatchUserListMetadata") or {}
    if job.get("type") != "CUSTOMER_MATCH_USER_LIST" or not meta.get("userList"):
        raise Violation(f"offlineUserDataJobs:create: type CUSTOMER_MATCH_USER_LIST with a userList, not {job}")
    aid = meta["userList"].rsplit("/", 1)[-1]
    if meta["userList"] != list_resource(cid, aid) or aid not in fake.audiences:
        return error(400, "The user list is not found.", {"offlineUserDataJobError": "INVALID_USER_LIST_ID"}) + ({},)
    fake.job_count += 1
    name = f"customers/{cid}/offlineUserDataJobs/{fake.job_count}"
    fake.jobs[name] = {"status": "PENDING", "list": aid, "ops": [], "polls": 0, "n": fake.job_count}
    return 200, {"resourceName": name}, {}


def add_operations(fake, job, body):
    if job["status"] != "PENDING":
        return error(400, "The job is not PENDING.", {"offlineUserDataJobError": "INVALID_JOB_STATUS"}) + ({},)
    ops = body.get("operations")
    if not isinstance(ops, list) or not ops:
        raise Violation("addOperations without operations")
    total = 0
    for op in ops:
        kinds = [k for k in ("create", "remove", "removeAll") if k in op]
        if len(kinds) != 1:
            raise Violation(f"an operation must be one of create, remove, removeAll: {op}")
        ids = op[kinds[0]].get("userIdentifiers") if kinds[0] != "removeAll" else []
        if not isinstance(ids, list) or len(ids) > 20 or any(len(i) != 1 or set(i) - IDENTIFIERS for i in ids):
            raise Violation(f"userIdentifiers: at most 20, one known identifier each: {ids}")
        total += len(ids)
    if total > 100000:
        return error(400, "Too many identifiers.", {"offlineUserDataJobError": "TOO_MANY_USER_IDENTIFIERS"}) + ({},)
    fake.uploads += 1
    if fake.uploads == fake.args.reject_upload:
        fake.rejected += 1
        return error(400, "The hashed email is not a valid SHA-256 digest.") + ({},)
    job["ops"].extend(ops)
    return 200, {}, {}


def run(fake, job, body):
    if job["status"] != "PENDING":
        return error(400, "The job is not PENDING.", {"offlineUserDataJobError": "INVALID_JOB_STATUS"}) + ({},)
    job["status"] = "RUNNING"
    return 200, {"name": job_name(job)}, {}


def job_name(job):
    return f"customers/{job['n']}/operations/job-{job['n']}"


def finish(fake, job):
    """A job's operations apply at once when it succeeds; a failed job applies nothing."""
    if job["n"] == fake.args.fail_job:
        job["status"] = "FAILED"
        return
    job["status"] = "SUCCESS"
    members = fake.audiences[job["list"]]["members"]
    for op in job["ops"]:
        kind = "create" if "create" in op else "remove"
        m = member({k: v for i in op[kind]["userIdentifiers"] for k, v in i.items()})
        (members.add if kind == "create" else members.discard)(m)
