#!/usr/bin/env python3
"""Check what a connector delivered to fault_server.py against the reference ops.

    check_delivery.py LOG REFERENCE_DIR DESTINATION [--kind webhook] [--limit N]
                      [--ads] [--failed FILE] [--path PREFIX] [--header 'Name: value']...

LOG is fault_server.py's --log; REFERENCE_DIR/<DESTINATION>.ndjson holds the ops
of a plain `seg run` (file connector) of the same rules and input. For the
requests of DESTINATION (those whose body names it; with --path only those whose
path starts with PREFIX), in log order, which is the order the server applied
them in:

  - the ops of the *applied* requests equal the reference ops, each exactly
    once, except (a) netted ops: an `add` and a later `remove` of the same
    profile, segment and keys, both missing, with every op of that profile and
    segment between them missing too (counted, not an error), and (b) the ops
    of --failed FILE (the run's DIR/failed-<destination>.ndjson, lines
    {"op": {...}, "status": N, "response": "..."}), which must not be applied;
  - per profile, the applied ops keep the reference order;
  - per profile, a request carrying an op is received only after the batch of
    the profile's previous op was acknowledged (2xx that reached the client),
    unless both are in the same batch (RUNTIME.md §4: never in flight at once);
  - each request carries at most --limit ops (default: no limit);
  - all requests with one idempotency key carry an identical body;
  - after an answer with Retry-After R, the same key is not sent again within R;
  - no request carries an `add` and a `remove` of the same profile, segment
    and keys (they would be in flight at once; they should have been netted);
  - with --ads, no request mixes `add` and `remove` at all;
  - with --header, every request carries that header with that value;
  - per kind (webhook): POST, body {"batch_id","destination","ops"},
    Idempotency-Key equal to batch_id, every op's destination is DESTINATION.

Prints a summary; exits 0 when all hold, 1 on any violation (each printed),
2 on unusable arguments or files. Python 3 standard library only.
"""
import argparse
import collections
import json
import os
import sys

OP_KINDS = ("add", "remove", "update")


def canon(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class BadRequest(Exception):
    pass


# --- connector kinds -------------------------------------------------------
# A kind says how to read a request body and what of a reference op that body
# can show. An item is (op kind, identity); an applied item is matched to the
# earliest unmatched reference op with the same item. Ads kinds will identify
# an op by (op kind, canonical keys), since their bodies carry no profile.

class Webhook:
    @staticmethod
    def project(op):
        # The webhook sends whole op objects, so the whole op is its identity.
        return (op.get("op"), canon(op))

    @staticmethod
    def show(item):
        return describe(json.loads(item[1]))

    @staticmethod
    def extract(entry, destination):
        """(items in body order, problems) of a request for `destination`;
        None when it is for another destination; BadRequest when unreadable."""
        body = entry.get("body")
        if not isinstance(body, dict) or not isinstance(body.get("destination"), str):
            raise BadRequest("body is not a webhook batch: %s" % canon(body)[:200])
        if body["destination"] != destination:
            return None
        problems = []
        if entry.get("method") != "POST":
            problems.append("method %s, expected POST" % entry.get("method"))
        if not isinstance(body.get("batch_id"), str) or not body["batch_id"]:
            problems.append("no batch_id")
        elif entry.get("idempotency_key") != body["batch_id"]:
            problems.append("Idempotency-Key %r != batch_id %r"
                            % (entry.get("idempotency_key"), body["batch_id"]))
        ops = body.get("ops")
        if not isinstance(ops, list):
            raise BadRequest("ops is not a list")
        items = []
        for op in ops:
            if not isinstance(op, dict) or op.get("op") not in OP_KINDS:
                raise BadRequest("not an op: %s" % canon(op)[:200])
            if op.get("destination") != destination:
                problems.append("op for destination %r" % op.get("destination"))
            items.append(Webhook.project(op))
        return items, problems


KINDS = {"webhook": Webhook}


# --- helpers -----------------------------------------------------------------

def read_ndjson(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        print("check_delivery: cannot read %s %s: %s" % (what, path, e), file=sys.stderr)
        sys.exit(2)


def describe(op):
    return "%s %s %s/%s ts=%s op_id=%s" % (op.get("op"), op.get("profile"), op.get("audience"),
                                          op.get("segment"), op.get("ts"), op.get("op_id"))


def is_2xx(status):
    return isinstance(status, int) and 200 <= status < 300


def main():
    ap = argparse.ArgumentParser(description="Check a connector's delivery log.")
    ap.add_argument("log")
    ap.add_argument("reference_dir")
    ap.add_argument("destination")
    ap.add_argument("--kind", choices=sorted(KINDS), default="webhook")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--ads", action="store_true")
    ap.add_argument("--failed")
    ap.add_argument("--path")
    ap.add_argument("--header", action="append", default=[])
    args = ap.parse_args()
    kind = KINDS[args.kind]
    dest = args.destination

    ref = read_ndjson(os.path.join(args.reference_dir, dest + ".ndjson"), "reference")
    for op in ref:
        if op.get("destination") != dest or op.get("op") not in OP_KINDS:
            print("check_delivery: reference op is not a %s op: %s" % (dest, canon(op)),
                  file=sys.stderr)
            return 2
    log = read_ndjson(args.log, "log")
    failed = read_ndjson(args.failed, "failed file") if args.failed else []
    headers = []
    for h in args.header:
        name, sep, value = h.partition(":")
        if not sep:
            print("check_delivery: --header wants 'Name: value'", file=sys.stderr)
            return 2
        headers.append((name.strip().lower(), value.strip()))

    violations = []

    def bad(msg):
        violations.append(msg)

    # Requests of this destination, with their items, in log (= applied) order.
    reqs = []
    others = 0
    for e in log:
        if args.path and not str(e.get("path", "")).startswith(args.path):
            others += 1
            continue
        try:
            got = kind.extract(e, dest)
        except BadRequest as err:
            bad("request n=%s: %s" % (e.get("n"), err))
            continue
        if got is None:
            others += 1
            continue
        items, problems = got
        for p in problems:  # still counted as delivered: one fault, one message
            bad("request n=%s: %s" % (e.get("n"), p))
        reqs.append((e, items))

    # Per-request checks.
    first = {}  # item -> the first reference op with it (for its profile and keys)
    for op in ref:
        first.setdefault(kind.project(op), op)
    bodies = {}
    by_key = collections.defaultdict(list)
    for e, items in reqs:
        n = e.get("n")
        if args.limit is not None and len(items) > args.limit:
            bad("request n=%s carries %d ops, limit %d" % (n, len(items), args.limit))
        kinds = {k for k, _ in items}
        if args.ads and {"add", "remove"} <= kinds:
            bad("request n=%s mixes add and remove ops" % n)
        # Never an add and a remove of the same keys in flight at once (§4).
        held = collections.defaultdict(set)
        for it in items:
            op = first.get(it)
            if op and it[0] in ("add", "remove"):
                held[(op.get("profile"), op.get("segment"), canon(op.get("keys")))].add(it[0])
        for (p, seg, keys), ks in held.items():
            if len(ks) == 2:
                bad("request n=%s carries an add and a remove of %s/%s keys %s"
                    % (n, p, seg, keys))
        for name, value in headers:
            if e.get("headers", {}).get(name) != value:
                bad("request n=%s: header %s is %r, expected %r"
                    % (n, name, e.get("headers", {}).get(name), value))
        key = e.get("idempotency_key")
        if key is not None:
            by_key[key].append(e)
            body = canon(e.get("body"))
            if bodies.setdefault(key, body) != body:
                bad("request n=%s: key %s retried with a different body" % (n, key))
    retried = sum(1 for v in by_key.values() if len(v) > 1)

    # Retry-After honoured: after that answer, the same key waits at least R.
    timed = all("t_recv" in e and "t_answer" in e for e, _ in reqs)
    if timed:
        for key, es in by_key.items():
            for a in es:
                try:
                    r = float(a.get("retry_after"))
                except (TypeError, ValueError):
                    continue
                for b in es:
                    if a["t_answer"] < b["t_recv"] < a["t_answer"] + r - 1e-3:
                        bad("request n=%s: key %s resent %.3fs after a Retry-After: %s answer"
                            % (b.get("n"), key, b["t_recv"] - a["t_answer"], a.get("retry_after")))

    # Match applied items to the reference, earliest unmatched first.
    where = collections.defaultdict(collections.deque)  # item -> reference indices
    for i, op in enumerate(ref):
        where[kind.project(op)].append(i)
    known = set(where)
    matched = {}  # reference index -> request entry that applied it
    order = []    # reference indices in applied order
    applied_reqs = 0
    for e, items in reqs:
        if not e.get("applied"):
            continue
        applied_reqs += 1
        for it in items:
            if where[it]:
                i = where[it].popleft()
                matched[i] = e
                order.append(i)
            elif it in known:
                bad("request n=%s applies an op a second time: %s" % (e.get("n"), kind.show(it)))
            else:
                bad("request n=%s applies an op not in the reference: %s" % (e.get("n"), kind.show(it)))

    # Failed ops: in the reference, and never applied.
    failed_left = collections.Counter()
    for line in failed:
        op = line.get("op") if isinstance(line, dict) else None
        if not isinstance(op, dict):
            bad("failed file line is not {\"op\": {...}, ...}: %s" % canon(line)[:200])
            continue
        it = kind.project(op)
        if it not in known:
            bad("failed op not in the reference: %s" % describe(op))
        failed_left[it] += 1
    missing = []
    n_failed = 0
    for i, op in enumerate(ref):
        it = kind.project(op)
        if failed_left[it] > 0:
            failed_left[it] -= 1
            n_failed += 1
            if i in matched:
                bad("op reported failed but applied (request n=%s): %s"
                    % (matched[i].get("n"), describe(op)))
        elif i not in matched:
            missing.append(i)

    # Netting: a missing remove pairs with the nearest earlier missing add of the
    # same profile, segment and keys; the ops of that profile+segment between
    # them must all be missing too (they are netted with the pair).
    missing_set = set(missing)
    netted = set()
    pairs = 0
    groups = collections.defaultdict(list)  # (profile, segment) -> reference indices
    for i, op in enumerate(ref):
        groups[(op.get("profile"), op.get("segment"))].append(i)
    for j in missing:
        rj = ref[j]
        if rj["op"] != "remove":
            continue
        same = [i for i in groups[(rj.get("profile"), rj.get("segment"))] if i < j]
        for i in reversed(same):
            if ref[i]["op"] == "add" and canon(ref[i].get("keys")) == canon(rj.get("keys")):
                between = [k for k in same if k > i]
                if i in missing_set and i not in netted and all(
                        k in missing_set and k not in netted for k in between):
                    netted.update([i, j] + between)
                    pairs += 1
                break
    for i in missing:
        if i not in netted:
            bad("op lost (never applied): %s" % describe(ref[i]))

    # Per-profile order, and never two batches of one profile in flight at once.
    last = {}
    for i in order:
        p = ref[i].get("profile")
        if p in last and last[p] > i:
            bad("profile %s: applied %s after %s"
                % (p, describe(ref[i]), describe(ref[last[p]])))
        last[p] = max(last.get(p, -1), i)
    if timed:
        acked = {}
        for e, _ in reqs:
            k = e.get("idempotency_key")
            if is_2xx(e.get("status")) and not e.get("dropped") and k is not None:
                acked[k] = min(acked.get(k, e["t_answer"]), e["t_answer"])
        carried = collections.defaultdict(list)  # item -> requests carrying it
        for e, items in reqs:
            for it in items:
                carried[it].append(e)
        prev = {}
        for i in sorted(matched):
            p = ref[i].get("profile")
            if p in prev:
                ka = matched[prev[p]].get("idempotency_key")
                for b in carried[kind.project(ref[i])]:
                    if b.get("idempotency_key") == ka or ka not in acked:
                        continue
                    if b["t_recv"] < acked[ka]:
                        bad("profile %s: request n=%s sent %s before the batch of %s was acknowledged"
                            % (p, b.get("n"), describe(ref[i]), describe(ref[prev[p]])))
            prev[p] = i

    print("%s: %d requests (%d skipped: other destination or path), %d applied, %d retried keys; "
          "%d of %d reference ops applied, %d netted pairs (%d ops), %d failed"
          % (dest, len(reqs), others, applied_reqs, retried, len(matched), len(ref),
             pairs, len(netted), n_failed))
    if not timed:
        print("note: log without t_recv/t_answer; Retry-After and in-flight checks skipped")
    if violations:
        for v in violations[:50]:
            print("VIOLATION: " + v)
        if len(violations) > 50:
            print("... and %d more violations" % (len(violations) - 50))
        print("FAIL: %d violations" % len(violations))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
