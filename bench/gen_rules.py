#!/usr/bin/env python3
"""Generate a large, realistic, type-correct .seg rule set for benchmarks.

    bench/gen_rules.py --segments 10000 --seed 1 -o /tmp/rules.seg

The output is one file: a schema (profile attributes of every type, events with and
without properties), N segments (short and long form: description, when, exclude,
ttl, holdout, salt) whose conditions use every expression form of LANGUAGE.md §4
(comparisons, between, in / not in, matches, string and set functions, has, ??,
arithmetic, time arithmetic, ago, now, event queries with where / within / since,
count / sum / avg / min / max / first / last, last(E).p and .time, references to
earlier segments and tier arms, and / or / not, parentheses), tiers blocks (with and
without `from`, `else`, `;`, holdout), destinations of every standard type (ads with
one audience and match keys; warehouse / analytics / webhook with several audiences,
fields, `hash sha256`, `include holdout`, `on exit keep`), a declared destination
type, and test blocks. References only point backwards, so there is no cycle, and
the whole file checks without errors. Same seed, same file (Python's `random` is
deterministic across platforms for a given seed). Standard library only.
"""
import argparse
import random
import sys

# --- schema -------------------------------------------------------------------------

PROFILE = [
    # name, type, annotations
    ("email", "string", "@id @pii"),
    ("phone", "string", "@id @pii"),
    ("crm_id", "string", "@id"),
    ("first_name", "string", "@pii"),
    ("ltv", "number", ""),
    ("aov", "number", ""),
    ("churn_score", "number", ""),
    ("discount_rate", "number", ""),
    ("orders", "int", ""),
    ("visits_30d", "int", ""),
    ("loyalty_points", "int", ""),
    ("age", "int", ""),
    ("country", "string", ""),
    ("city", "string", ""),
    ("plan", "string", ""),
    ("language", "string", ""),
    ("channel", "string", ""),
    ("subscribed", "bool", ""),
    ("push_opt_in", "bool", ""),
    ("is_employee", "bool", ""),
    ("last_order_date", "time", ""),
    ("signup_date", "time", ""),
    ("last_login", "time", ""),
    ("cooldown", "duration", ""),
    ("avg_session", "duration", ""),
    ("tags", "set<string>", ""),
    ("interests", "set<string>", ""),
]

EVENTS = [
    ("added_to_cart", [("cart_value", "number"), ("sku", "string"), ("quantity", "int")]),
    ("purchased", [("order_value", "number"), ("refunded", "bool"), ("coupon", "string")]),
    ("viewed_product", [("sku", "string"), ("category", "string"), ("price", "number")]),
    ("app_opened", [("platform", "string")]),
    ("email_opened", [("campaign", "string")]),
    ("email_clicked", [("campaign", "string"), ("link", "string")]),
    ("subscription_started", [("plan", "string"), ("price", "number")]),
    ("subscription_cancelled", [("reason", "string")]),
    ("support_ticket", [("severity", "int"), ("topic", "string")]),
    ("review_posted", [("rating", "int"), ("verified", "bool")]),
    ("wishlist_added", [("sku", "string"), ("price", "number")]),
    ("searched", [("query", "string"), ("results", "int")]),
    ("coupon_redeemed", [("code", "string"), ("amount", "number")]),
    ("signed_up", []),        # written `event signed_up {}`
    ("logged_in", None),      # written `event logged_in` (no braces)
]

ATTRS = {}
for _n, _t, _a in PROFILE:
    ATTRS.setdefault(_t, []).append(_n)
EVENT_PROPS = {name: dict(props or []) for name, props in EVENTS}
EVENTS_WITH = {}  # type -> [(event, prop)]
for _e, _props in EVENTS:
    for _p, _t in _props or []:
        EVENTS_WITH.setdefault(_t, []).append((_e, _p))

COUNTRIES = ["US", "CA", "GB", "FR", "DE", "ES", "IT", "NL", "SE", "AU", "JP", "BR", "MX"]
CITIES = ["Paris", "Berlin", "Austin", "Toronto", "Lyon", "Madrid", "Osaka", "Leeds"]
PLANS = ["free", "basic", "pro", "team", "enterprise"]
LANGS = ["en", "fr", "de", "es", "it", "ja", "pt"]
CHANNELS = ["organic", "paid_search", "social", "referral", "email", "affiliate"]
TAGS = ["vip", "do_not_target", "beta", "wholesale", "influencer", "student", "churn_risk"]
CATEGORIES = ["shoes", "bags", "outdoor", "kitchen", "beauty", "toys", "garden", "books"]
CAMPAIGNS = ["spring_sale", "winback_q1", "newsletter", "cart_reminder", "vip_preview"]
PLATFORMS = ["ios", "android", "web"]
TOPICS = ["shipping", "returns", "billing", "login", "sizing"]
REASONS = ["too_expensive", "not_using", "switched", "other"]
STRING_VALUES = {
    "country": COUNTRIES, "city": CITIES, "plan": PLANS, "language": LANGS,
    "channel": CHANNELS, "category": CATEGORIES, "campaign": CAMPAIGNS,
    "platform": PLATFORMS, "topic": TOPICS, "reason": REASONS,
    "sku": ["SKU-%04d" % i for i in range(1, 60)],
    "coupon": ["WELCOME10", "SPRING25", "VIP50"], "code": ["WELCOME10", "SPRING25", "VIP50"],
    "query": ["running shoes", "gift", "sale", "backpack"], "link": ["/sale", "/new", "/vip"],
    "first_name": ["ann", "ben", "cat"], "crm_id": ["C-1", "C-2"],
}
REGEXES = ['"^[a-z0-9._%+-]+@example\\\\.com$"', '"^\\\\+1[0-9]{10}$"', '"^(pro|team)$"',
           '"(?i)^gift"', '"^[A-Z]{2}$"', '"^SKU-0[0-9]{3}$"']

ADJ = ["active", "lapsed", "loyal", "new", "big", "frequent", "dormant", "engaged",
       "high_value", "at_risk", "recent", "mobile", "seasonal", "curious", "bargain",
       "premium", "returning", "weekend", "silent", "rising"]
NOUN = ["shoppers", "browsers", "buyers", "subscribers", "readers", "members",
        "clickers", "abandoners", "reviewers", "searchers", "savers", "fans"]


class Gen:
    def __init__(self, seed, n_segments, tiers_every=40, dests_every=25, tests_every=250):
        self.r = random.Random(seed)
        self.n = n_segments
        self.tiers_every, self.dests_every, self.tests_every = tiers_every, dests_every, tests_every
        self.segments = []       # names, in order
        self.holdout_segments = set()
        self.tiers = []          # (name, [arms])
        self.dests = []
        self.out = []

    # --- literals ---------------------------------------------------------------------
    def number(self, lo=1, hi=1000):
        r = self.r
        v = r.randint(lo, hi)
        form = r.random()
        if form < 0.15:
            return "$%d" % v
        if form < 0.3:
            return "%d.%d" % (v, r.randint(1, 99))
        if form < 0.33:
            return "1e%d" % r.randint(2, 6)
        return str(v)

    def integer(self, lo=0, hi=50):
        return str(self.r.randint(lo, hi))

    def duration(self, big=False):
        r = self.r
        if big:
            return r.choice(["%dd" % r.randint(7, 365), "%dw" % r.randint(1, 26)])
        return r.choice(["%dm" % r.randint(5, 59), "%dh" % r.randint(1, 72), "%dd" % r.randint(1, 90),
                         "%dw" % r.randint(1, 8), "1d12h", "%ds" % r.randint(30, 3600)])

    def timestamp(self):
        r = self.r
        d = "20%02d-%02d-%02d" % (r.randint(24, 26), r.randint(1, 12), r.randint(1, 28))
        form = r.random()
        if form < 0.5:
            return d
        if form < 0.8:
            return d + "T%02d:%02d:00Z" % (r.randint(0, 23), r.randint(0, 59))
        return d + "T%02d:00:00+%02d:00" % (r.randint(0, 23), r.randint(1, 9))

    def string_for(self, name):
        vals = STRING_VALUES.get(name, ["x", "y", "z"])
        return '"%s"' % self.r.choice(vals)

    def value(self, typ, name):
        if typ == "number":
            return self.number()
        if typ == "int":
            return self.integer()
        if typ == "bool":
            return self.r.choice(["true", "false"])
        if typ == "string":
            return self.string_for(name)
        return None

    def cmp(self):
        return self.r.choice(["==", "!=", "<", "<=", ">", ">="])

    def ord_cmp(self):
        return self.r.choice(["<", "<=", ">", ">="])

    # --- profile conditions -----------------------------------------------------------
    def numeric_attr(self):
        return self.r.choice(ATTRS["number"] + ATTRS["int"])

    def cond_number(self):
        r, a = self.r, self.numeric_attr()
        k = r.randrange(8)
        if k == 0:
            lo = r.randint(1, 500)
            return "%s between %d and %d" % (a, lo, lo + r.randint(1, 500))
        if k == 1:
            return "(%s ?? 0) %s %s" % (a, self.ord_cmp(), self.number())
        if k == 2:
            return "%s / (%s ?? 1) %s %s" % (r.choice(ATTRS["number"]), r.choice(ATTRS["int"]),
                                             self.ord_cmp(), self.number(1, 200))
        if k == 3:
            return "%s %% %d == %d" % (r.choice(ATTRS["int"]), r.randint(2, 7), r.randint(0, 1))
        if k == 4:
            return "%s * %s - %s %s %s" % (a, self.number(1, 3), self.number(1, 50), self.ord_cmp(),
                                            self.number())
        if k == 5:
            return "-%s < %s" % (a, self.number())
        if k == 6:
            return "%s + %s %s %s" % (a, r.choice(ATTRS["number"] + ATTRS["int"]), self.ord_cmp(),
                                      self.number())
        return "%s %s %s" % (a, self.cmp(), self.number())

    def cond_string(self):
        r = self.r
        a = r.choice(["country", "city", "plan", "language", "channel"])
        k = r.randrange(9)
        if k == 0:
            vals = r.sample(STRING_VALUES[a], min(len(STRING_VALUES[a]), r.randint(1, 4)))
            return '%s in [%s]' % (a, ", ".join('"%s"' % v for v in vals))
        if k == 1:
            vals = r.sample(STRING_VALUES[a], min(len(STRING_VALUES[a]), r.randint(1, 3)))
            return '%s not in [%s]' % (a, ", ".join('"%s"' % v for v in vals))
        if k == 2:
            return '%s matches %s' % (r.choice(["email", "phone", "plan", "country"]), r.choice(REGEXES))
        if k == 3:
            return 'lower(trim(%s)) == %s' % (a, self.string_for(a).lower())
        if k == 4:
            return 'starts_with(%s, "%s")' % (r.choice(["email", "city", "crm_id"]), r.choice("abcmps"))
        if k == 5:
            return 'ends_with(email, "@%s")' % r.choice(["example.com", "gmail.com", "corp.test"])
        if k == 6:
            return 'contains(upper(%s), "%s")' % (a, r.choice(["A", "ER", "ON", "US"]))
        if k == 7:
            return 'len(%s) %s %d' % (a, self.ord_cmp(), r.randint(1, 12))
        return '%s == %s' % (a, self.string_for(a))

    def cond_set(self):
        r = self.r
        s = r.choice(ATTRS["set<string>"])
        k = r.randrange(3)
        if k == 0:
            return '"%s" in %s' % (r.choice(TAGS), s)
        if k == 1:
            return 'len(%s) %s %d' % (s, self.ord_cmp(), r.randint(0, 5))
        return 'not ("%s" in %s)' % (r.choice(TAGS), s)

    def cond_bool(self):
        r = self.r
        b = r.choice(ATTRS["bool"])
        k = r.randrange(4)
        if k == 0:
            return b
        if k == 1:
            return "not " + b
        if k == 2:
            return "has(%s)" % r.choice([n for n, _, _ in PROFILE])
        return 'id != ""'

    def cond_time(self):
        r = self.r
        t = r.choice(ATTRS["time"])
        k = r.randrange(7)
        if k == 0:
            lo = r.randint(1, 60)
            return "ago(%s) between %dd and %dd" % (t, lo, lo + r.randint(1, 60))
        if k == 1:
            return "%s + %s < now" % (t, self.duration())
        if k == 2:
            return "now - %s > %s" % (t, self.duration(big=True))
        if k == 3:
            return "%s %s %s" % (t, self.ord_cmp(), self.timestamp())
        if k == 4:
            return "%s * %s >= %s" % (r.choice(ATTRS["duration"]), self.number(1, 4), self.duration())
        if k == 5:
            return "has(%s) and ago(%s) >= %s" % (t, t, self.duration(big=True))
        return "%s - %s < %s" % (t, r.choice([x for x in ATTRS["time"] if x != t]), self.duration(big=True))

    # --- event conditions -------------------------------------------------------------
    def where_cond(self, event, compound_ok=True):
        """A condition on event's properties (a single comparison or not, or parenthesised)."""
        r = self.r
        props = EVENT_PROPS[event]
        if not props:
            return None
        p = r.choice(sorted(props))
        t = props[p]
        if t == "bool":
            single = r.choice([p, "not " + p])
        elif t == "string" and r.random() < 0.2 and p in ("category", "platform", "campaign"):
            single = "%s == profile.%s" % (p, r.choice(["country", "language", "channel"]))
        elif t in ("number", "int"):
            single = "%s %s %s" % (p, self.ord_cmp(), self.number(1, 300) if t == "number" else self.integer(1, 10))
        else:
            single = "%s %s %s" % (p, r.choice(["==", "!="]), self.value(t, p))
        if compound_ok and len(props) > 1 and r.random() < 0.3:
            q = r.choice([x for x in sorted(props) if x != p])
            second = self.where_cond_single(event, q)
            return "(%s %s %s)" % (single, r.choice(["and", "or"]), second)
        return single

    def where_cond_single(self, event, p):
        t = EVENT_PROPS[event][p]
        if t == "bool":
            return self.r.choice([p, "not " + p])
        if t in ("number", "int"):
            return "%s %s %s" % (p, self.ord_cmp(), self.number(1, 300) if t == "number" else self.integer(1, 10))
        return "%s != %s" % (p, self.value(t, p))

    def query_suffix(self, event, window=True, where_p=0.4):
        r = self.r
        s = ""
        if EVENT_PROPS[event] and r.random() < where_p:
            s += " where " + self.where_cond(event)
        if window and r.random() < 0.8:
            s += " within " + self.duration()
        return s

    def event_any(self):
        return self.r.choice([e for e, _ in EVENTS])

    def cond_event(self):
        r = self.r
        e = self.event_any()
        k = r.randrange(12)
        if k == 0:
            return "%s within %s" % (e, self.duration())
        if k == 1:
            return e  # ever
        if k == 2:
            return "count(%s%s) %s %d" % (e, self.query_suffix(e), self.ord_cmp(), r.randint(1, 10))
        if k in (3, 4):
            typ = r.choice(["number", "int"])
            e2, p = r.choice(EVENTS_WITH[typ])
            agg = r.choice(["sum", "avg", "min", "max"])
            return "%s(%s.%s%s) %s %s" % (agg, e2, p, self.query_suffix(e2), self.ord_cmp(), self.number())
        if k == 5:
            typ = r.choice(["number", "int", "string", "bool"])
            e2, p = r.choice(EVENTS_WITH[typ])
            fn = r.choice(["last", "first"])
            if typ == "bool":
                return "%s(%s).%s" % (fn, e2, p)
            if typ == "string":
                return "%s(%s).%s == %s" % (fn, e2, p, self.value(typ, p))
            return "%s(%s).%s %s %s" % (fn, e2, p, self.ord_cmp(), self.value(typ, p))
        if k == 6:
            lo = r.randint(1, 40)
            return "ago(last(%s%s).time) between %dd and %dd" % (e, self.query_suffix(e, window=False), lo,
                                                                  lo + r.randint(1, 40))
        if k == 7:
            return "first(%s).time > %s" % (e, self.timestamp())
        if k == 8:
            e2 = r.choice([x for x, _ in EVENTS if x != e])
            return "%s within %s and not %s since last(%s)" % (e2, self.duration(), e, e2)
        if k == 9:
            return "%s since %s" % (e, r.choice([self.timestamp(), r.choice(ATTRS["time"])]))
        if k == 10:
            e2 = r.choice([x for x, p in EVENTS if p])
            return "%s where %s within %s" % (e2, self.where_cond(e2), self.duration())
        return "count(%s) == 0" % e

    # --- composition ------------------------------------------------------------------
    def atom(self, idx):
        r = self.r
        roll = r.random()
        if idx > 0 and roll < 0.12:
            return self.r.choice(self.segments[max(0, idx - 200):idx])
        if self.tiers and roll < 0.15:
            name, arms = r.choice(self.tiers[-20:])
            return "%s.%s" % (name, r.choice(arms))
        return r.choice([self.cond_number, self.cond_string, self.cond_set, self.cond_bool,
                         self.cond_time, self.cond_event, self.cond_event, self.cond_event])()

    def condition(self, idx, depth=0):
        r = self.r
        n = r.choice([1, 1, 2, 2, 2, 3, 3, 4])
        parts = []
        for _ in range(n):
            if depth < 2 and r.random() < 0.15:
                parts.append("(%s)" % self.condition(idx, depth + 1))
            elif r.random() < 0.1:
                parts.append("not (%s)" % self.atom(idx))
            else:
                parts.append(self.atom(idx))
        out = parts[0]
        for p in parts[1:]:
            op = "and" if r.random() < 0.7 else "or"
            # `or` binds looser than `and`: parenthesise to keep the intent obvious
            out = "(%s) %s %s" % (out, op, p) if op == "or" and r.random() < 0.5 else "%s %s %s" % (out, op, p)
        return out

    # --- declarations -----------------------------------------------------------------
    def emit(self, s=""):
        self.out.append(s)

    def schema(self):
        self.emit("# Generated by bench/gen_rules.py: a synthetic storefront rule set.")
        self.emit('default_region "US"')
        self.emit()
        self.emit("profile {")
        w = max(len(n) for n, _, _ in PROFILE) + 1
        tw = max(len(t) for _, t, a in PROFILE if a)
        for n, t, a in PROFILE:
            line = "  " + (n + ":").ljust(w + 1) + (t.ljust(tw + 1) + a if a else t)
            self.emit(line.rstrip())
        self.emit("}")
        self.emit()
        for e, props in EVENTS:
            if props is None:
                self.emit("event %s" % e)
            elif not props:
                self.emit("event %s {}" % e)
            else:
                self.emit("event %s { %s }" % (e, ", ".join("%s: %s" % pt for pt in props)))
        self.emit()
        self.emit("destination type crm_endpoint {")
        self.emit('  description "The in-house CRM"')
        self.emit("  category    webhook")
        self.emit("  key         id normalize none hash none")
        self.emit("  key         email normalize email hash optional")
        self.emit("  fields      5")
        self.emit("  batch       500")
        self.emit("  updates     true")
        self.emit("  latency     5m")
        self.emit("}")

    def segment(self, idx):
        r = self.r
        name = "%s_%s_%d" % (r.choice(ADJ), r.choice(NOUN), idx)
        self.emit()
        if r.random() < 0.2:
            self.emit("# %s: %s" % (name.replace("_", " "), r.choice(
                ["owned by the CRM team", "see the Q1 retention plan", "do not send to ads",
                 "reviewed 2026-03", "feeds the lifecycle tiers"])))
        cond = self.condition(idx)
        if r.random() < 0.55:
            self.emit("segment %s = %s" % (name, cond))
        else:
            self.emit("segment %s {" % name)
            if r.random() < 0.7:
                self.emit('  description "%s"' % name.replace("_", " ").capitalize())
            self.emit("  when %s" % cond)
            if idx > 0 and r.random() < 0.4:
                pool = self.segments[max(0, idx - 300):idx]
                ex = r.sample(pool, min(len(pool), r.randint(1, 3)))
                self.emit("  exclude %s" % ", ".join(ex))
            if r.random() < 0.3:
                self.emit("  ttl %s" % r.choice(["48h", "30d", "1d12h", "7d", "2w"]))
            if r.random() < 0.3:
                self.holdout_segments.add(name)
                salt = ' salt "%s-2026"' % name[:12] if r.random() < 0.4 else ""
                self.emit("  holdout %d%%%s" % (r.randint(1, 20), salt))
            self.emit("}")
        self.segments.append(name)

    def tiers_block(self, idx):
        r = self.r
        name = "tiers_%d" % idx
        arms = r.sample(["high", "mid", "low", "new", "repeat", "vip", "risky", "cold", "warm", "hot"],
                        r.randint(2, 5))
        self.emit()
        if r.random() < 0.5:
            src = r.choice(self.segments[max(0, idx - 100):idx])
            self.emit("tiers %s from %s {" % (name, src))
            w = max(len(a) for a in arms) + 1
            for a in arms[:-1]:
                self.emit("  %s %s" % ((a + ":").ljust(w), self.condition(idx, depth=2)))
            self.emit("  %s else" % (arms[-1] + ":").ljust(w))
        else:
            self.emit("tiers %s {" % name)
            if r.random() < 0.5:
                self.emit("  holdout %d%%" % r.randint(1, 10))
            pool = self.segments[max(0, idx - 100):idx]
            w = max(len(a) for a in arms) + 1
            for i, a in enumerate(arms):
                if i == len(arms) - 1 and r.random() < 0.3:
                    self.emit("  %s else" % (a + ":").ljust(w))
                else:
                    self.emit("  %s %s" % ((a + ":").ljust(w), r.choice(pool)))
        self.emit("}")
        self.tiers.append((name, arms))

    def destination(self, idx):
        r = self.r
        name = "dest_%d" % idx
        self.emit()
        kind = r.random()
        if kind < 0.45:
            typ = r.choice(["meta_audience", "google_customer_match", "tiktok_audience"])
            if self.tiers and r.random() < 0.4:
                t, arms = r.choice(self.tiers[-10:])
                aud = "%s.%s" % (t, r.choice(arms))
            else:
                aud = r.choice(self.segments[max(0, idx - 50):idx])
            self.emit("destination %s {" % name)
            self.emit("  type     %s" % typ)
            self.emit("  audience %s" % aud)
            self.emit('  name     "ADS_%s_v%d_2026-%02d"' % (aud.upper().replace(".", "_"), r.randint(1, 5),
                                                             r.randint(1, 12)))
            self.emit("  match    %s" % ", ".join(r.sample(["email", "phone", "id"], r.randint(1, 3))))
            self.emit("  on exit  remove")
            self.emit("}")
        else:
            typ = r.choice(["warehouse", "analytics", "webhook", "crm_endpoint"])
            pool = self.segments[max(0, idx - 100):idx]
            auds = r.sample(pool, min(len(pool), r.randint(1, 5)))
            if self.tiers and r.random() < 0.5:
                t, arms = r.choice(self.tiers[-10:])
                auds.append(t if r.random() < 0.5 else "%s.%s" % (t, r.choice(arms)))
            self.emit("destination %s {" % name)
            self.emit("  type     %s" % typ)
            self.emit("  audience %s" % ", ".join(auds))
            self.emit('  name     "%s_SEGMENTS_v1_2026-03"' % typ.upper()[:3])
            if typ == "crm_endpoint":
                self.emit("  match    %s" % r.choice(["id", "email hash sha256", "id, email"]))
                fields = r.sample(["ltv", "orders", "plan", "country", "aov"], r.randint(1, 3))
            else:
                keys = r.sample(["id", "email hash sha256", "phone", "crm_id"], r.randint(1, 3))
                if typ == "analytics":
                    keys = [k for k in keys if not k.startswith(("email", "phone"))] or ["id"]
                self.emit("  match    %s" % ", ".join(keys))
                fields = r.sample(["ltv", "orders", "plan", "country", "aov", "last_order_date", "visits_30d"],
                                  r.randint(1, 4))
            self.emit("  fields   %s" % ", ".join(fields))
            if r.random() < 0.6:
                self.emit("  include  holdout")
            if r.random() < 0.3:
                self.emit("  on exit  keep")
            self.emit("}")
        self.dests.append(name)

    def test_block(self, idx):
        r = self.r
        seg = r.choice(self.segments[max(0, idx - 50):idx])
        self.emit()
        self.emit('test "scenario %d" {' % idx)
        self.emit('  profile u%d { email: "u%d@example.com", ltv: %s, orders: %d, country: "%s", tags: ["%s"] }'
                  % (idx, idx, self.number(), r.randint(0, 20), r.choice(COUNTRIES), r.choice(TAGS)))
        self.emit("  at 2026-03-01T10:00:00Z event u%d added_to_cart { cart_value: %s, sku: \"A1\" }"
                  % (idx, self.number()))
        self.emit("  expect u%d %s %s" % (idx, r.choice(["in", "not in"]), seg))
        self.emit("  at 2026-03-02T10:00:00Z event u%d purchased { order_value: %s, refunded: false }"
                  % (idx, self.number()))
        self.emit("  expect u%d not in %s" % (idx, seg))
        if self.dests and r.random() < 0.5:
            self.emit("  expect ops %s {" % r.choice(self.dests[-10:]))
            self.emit("    add    u%d at 2026-03-01T10:00:00Z" % idx)
            self.emit("    remove u%d at 2026-03-02T10:00:00Z" % idx)
            self.emit("  }")
        self.emit("}")

    def generate(self):
        self.schema()
        for i in range(self.n):
            self.segment(i)
            if i >= 2 and i % self.tiers_every == self.tiers_every - 1:
                self.tiers_block(i)
            if i >= 2 and i % self.dests_every == self.dests_every - 1:
                self.destination(i)
            if i >= 2 and i % self.tests_every == self.tests_every - 1:
                self.test_block(i)
        return "\n".join(self.out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=int, default=10000, help="number of segments (default 10000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    ap.add_argument("--tiers-every", type=int, default=40, metavar="K", help="a tiers block after every K segments")
    ap.add_argument("--dests-every", type=int, default=25, metavar="K", help="a destination after every K segments")
    ap.add_argument("--tests-every", type=int, default=250, metavar="K", help="a test block after every K segments")
    a = ap.parse_args()
    if a.segments < 1:
        ap.error("--segments must be at least 1")
    if min(a.tiers_every, a.dests_every, a.tests_every) < 1:
        ap.error("--*-every must be at least 1")
    text = Gen(a.seed, a.segments, a.tiers_every, a.dests_every, a.tests_every).generate()
    if a.output == "-":
        sys.stdout.write(text)
    else:
        with open(a.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
