#!/usr/bin/env python3
"""Generate a seeded, realistic NDJSON input stream for a rule set from bench/gen_rules.py.

    bench/gen_stream.py RULES.seg --profiles 20000 --events 200000 --seed 1 [-o OUT]

Reads the `profile { name: type ... }` block and the `event NAME { prop: type, ... }`
declarations of RULES.seg (`event NAME {}` and a bare `event NAME` have no properties)
with simple regexes, and writes exactly --events lines in the Segment-spec shape of
RUNTIME.md §2:

    {"type":"identify","userId":"u000001","timestamp":"2026-01-01T00:00:00.000Z","traits":{...}}
    {"type":"track","userId":"u000001","event":"viewed_product","timestamp":"...","properties":{...}}

- Time runs over 30 days from 2026-01-01T00:00:00Z (RFC 3339 UTC, always with
  milliseconds), in non-decreasing order except ~2% of the records, delivered late by
  less than a minute. Session starts follow a US-heavy hour-of-day curve.
- Every profile's first line is an `identify` with a value of the declared type for every
  attribute; ~10% of all lines are later `identify` updates changing 1-3 attributes
  (orders / ltv / last_order_date after a purchase, last_login after a login, drifting
  counters, re-tagging, now and then a null that deletes a trait).
- `track` records pick declared events with a skewed distribution (product views and app
  opens common, purchases and cancellations rare) in sessions (a view, then a cart of the
  same SKU, then maybe a purchase), with every declared property of the right type.
- String values reuse the literals the rules compare each attribute or property with
  (`plan == "pro"`, `country in ["US", "CA"]`, `"vip" in tags`, `where topic == "..."`)
  half of the time, so that conditions and `where` filters match sometimes; numbers are
  drawn half from a realistic range for the name and half around the thresholds the rules
  compare that name with. @id attributes stay unique per profile (emails like
  ann123@example.com, phones like +14155550123, crm ids like C-000123).

Types: string, number, int (JSON integers), bool, time (RFC 3339 string), duration (a
number of seconds), set<string> (an array of strings). Deterministic: one
random.Random(seed), no wall clock, no set or hash ordering. Standard library only.
A one-line summary goes to stderr.
"""
import argparse
import bisect
import calendar
import json
import math
import random
import re
import sys
import time

SEC = 1000
MIN = 60 * SEC
HOUR = 60 * MIN
DAY = 24 * HOUR

START = calendar.timegm((2026, 1, 1, 0, 0, 0)) * SEC
SPAN_DAYS = 30
END = START + SPAN_DAYS * DAY

UPDATE_SHARE = 0.10   # later identify updates, as a share of all lines
LATE_SHARE = 0.02     # records delivered late (by < 1 minute)

# Share of the audience active per UTC hour (US-heavy store), for session starts.
HOUR_WEIGHT = [7, 6, 5, 4, 3, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10, 10, 10, 9, 9, 8]

# Plausible values for names gen_rules.py uses (a rule set's own literals are added).
DEFAULT_STRINGS = {
    "country": ["US", "US", "US", "US", "CA", "GB", "GB", "FR", "DE", "ES", "IT", "NL", "SE",
                "AU", "JP", "BR", "MX"],
    "city": ["Austin", "Paris", "Berlin", "Toronto", "Lyon", "Madrid", "Osaka", "Leeds",
             "New York", "Chicago", "Seattle", "London", "Munich", "Portland", "Sydney"],
    "plan": ["free", "free", "free", "basic", "basic", "pro", "team", "enterprise"],
    "language": ["en", "en", "en", "fr", "de", "es", "it", "ja", "pt"],
    "channel": ["organic", "organic", "paid_search", "social", "referral", "email", "affiliate"],
    "category": ["shoes", "bags", "outdoor", "kitchen", "beauty", "toys", "garden", "books",
                 "apparel", "electronics"],
    "campaign": ["spring_sale", "winback_q1", "newsletter", "cart_reminder", "vip_preview",
                 "new_arrivals", "welcome_series"],
    "platform": ["ios", "android", "web", "web"],
    "topic": ["shipping", "returns", "billing", "login", "sizing", "damaged_item"],
    "reason": ["too_expensive", "not_using", "switched", "other", "missing_features"],
    "coupon": ["WELCOME10", "SPRING25", "VIP50", "FREESHIP", "BDAY15"],
    "code": ["WELCOME10", "SPRING25", "VIP50", "FREESHIP", "BDAY15"],
    "query": ["running shoes", "gift", "sale", "backpack", "rain jacket", "gift card",
              "coffee grinder", "yoga mat", "kids toys", "sandals"],
    "link": ["/sale", "/new", "/vip", "/account", "/cart", "/c/shoes", "/blog/spring-looks"],
    "first_name": ["ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal", "ivy", "jo", "kim",
                   "lee", "mia", "nia", "ola", "sam", "tom", "uma", "vic", "zoe", "amir", "sofia",
                   "marc", "nora", "omar", "pia", "raj", "theo", "lena", "hugo"],
}
DEFAULT_SET = ["vip", "do_not_target", "beta", "wholesale", "influencer", "student", "churn_risk",
               "newsletter", "early_adopter", "b2b", "sports", "outdoors", "fashion", "cooking",
               "tech", "travel", "music", "gaming"]
EMAIL_DOMAINS = ["example.com", "gmail.com", "yahoo.com", "outlook.com", "icloud.com",
                 "corp.test", "proton.me"]
EMAIL_DOMAIN_WEIGHT = [40, 30, 8, 8, 6, 4, 4]
US_AREAS = ["415", "212", "312", "646", "213", "617", "206", "512", "305", "720"]
CALLING = [("1", 10), ("44", 10), ("33", 9), ("49", 10), ("34", 9), ("61", 9)]
CALLING_WEIGHT = [80, 6, 4, 4, 3, 3]

# Event frequency by name (first match wins); an unknown event gets the default.
EVENT_WEIGHT = [
    (r"review|rating", 0.8), (r"(^|_)view", 30.0), (r"app_open|session|page|screen", 12.0),
    (r"log(ged)?_?in|sign(ed)?_?in", 8.0),
    (r"search", 9.0), (r"email_open|open", 7.0), (r"cart", 7.0), (r"click", 3.5),
    (r"wish", 2.5), (r"purchas|order|checkout_completed", 2.5), (r"coupon|redeem", 1.0),
    (r"ticket|support|complain", 0.8), (r"cancel|churn|unsub", 0.25),
    (r"subscri|upgrade", 0.4), (r"sign(ed)?_?up|regist", 0.0),   # signup: once, for new profiles
]
DEFAULT_EVENT_WEIGHT = 1.5


# --- the rule file ----------------------------------------------------------------------

STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def strip_comments(text):
    out = []
    for line in text.split("\n"):
        if "#" in line:
            # cut at the first '#' outside a string literal
            pos, cut = 0, None
            for m in STRING_RE.finditer(line):
                h = line.find("#", pos, m.start())
                if h >= 0:
                    cut = h
                    break
                pos = m.end()
            if cut is None:
                h = line.find("#", pos)
                cut = h if h >= 0 else None
            if cut is not None:
                line = line[:cut]
        out.append(line)
    return "\n".join(out)


TYPE_RE = r"(set\s*<\s*string\s*>|string|number|int|bool|time|duration)"
PROFILE_BLOCK_RE = re.compile(r"^profile\s*\{(.*?)^\s*\}", re.S | re.M)
ATTR_RE = re.compile(r"(\w+)\s*:\s*" + TYPE_RE + r"((?:\s*@\w+)*)")
EVENT_RE = re.compile(r"^event\s+(\w+)[ \t]*(\{(.*?)\})?", re.S | re.M)
PROP_RE = re.compile(r"(\w+)\s*:\s*" + TYPE_RE)

NUM = r"\$?(\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.:-])"   # not a date or duration
CMP_STR_RE = re.compile(r'(\w+)\s*(\)*)\s*(?:==|!=)\s*("(?:[^"\\\n]|\\.)*")')
IN_LIST_RE = re.compile(r"(\w+)\s*(\)*)\s+(?:not\s+)?in\s*\[([^\]]*)\]")
IN_SET_RE = re.compile(r'("(?:[^"\\\n]|\\.)*")\s+in\s+(\w+)')
ENDS_RE = re.compile(r'ends_with\(\s*(\w+)\s*,\s*("(?:[^"\\\n]|\\.)*")\s*\)')
CMP_NUM_RE = re.compile(r"(\w+)\s*\)*\s*(?:<=|>=|==|!=|<|>)\s*" + NUM)
BETWEEN_RE = re.compile(r"(\w+)\s*\)*\s+between\s+" + NUM + r"\s+and\s+" + NUM)


def unquote(lit):
    try:
        v = json.loads(lit)
        return v if isinstance(v, str) else None
    except ValueError:
        return lit[1:-1]


def parse_number(text):
    try:
        v = float(text.replace("_", ""))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def norm_type(t):
    return "set<string>" if t.startswith("set") else t


class Schema:
    def __init__(self, text):
        text = strip_comments(text)
        self.attrs = []      # (name, type, annotations)
        m = PROFILE_BLOCK_RE.search(text)
        if m:
            for a in ATTR_RE.finditer(m.group(1)):
                self.attrs.append((a.group(1), norm_type(a.group(2)), a.group(3).split()))
        self.events = []     # (name, [(prop, type)])
        seen = set()
        for e in EVENT_RE.finditer(text):
            name = e.group(1)
            if name in seen or name == "type":
                continue
            seen.add(name)
            body = e.group(3) or ""
            self.events.append((name, [(p.group(1), norm_type(p.group(2)))
                                       for p in PROP_RE.finditer(body)]))
        # literals the rules compare each name with
        self.strings = {}       # name -> [literal]
        self.lowered = {}       # name -> [literal compared after lower(...)]
        self.set_items = {}     # set name -> [literal]
        self.suffixes = {}      # name -> [ends_with literal]
        self.numbers = {}       # name -> [threshold]
        self.ranges = {}        # name -> [(lo, hi)]

        def add(d, k, v):
            lst = d.setdefault(k, [])
            if v is not None and v not in lst:
                lst.append(v)

        for m in CMP_STR_RE.finditer(text):
            target = self.lowered if m.group(2) and "lower(" in text[max(0, m.start() - 12):m.start()] \
                else self.strings
            add(target, m.group(1), unquote(m.group(3)))
        for m in IN_LIST_RE.finditer(text):
            target = self.lowered if m.group(2) and "lower(" in text[max(0, m.start() - 12):m.start()] \
                else self.strings
            for lit in STRING_RE.findall(m.group(3)):
                add(target, m.group(1), unquote(lit))
        for m in IN_SET_RE.finditer(text):
            add(self.set_items, m.group(2), unquote(m.group(1)))
        for m in ENDS_RE.finditer(text):
            add(self.suffixes, m.group(1), unquote(m.group(2)))
        for m in CMP_NUM_RE.finditer(text):
            if not m.group(1)[0].isdigit():
                add(self.numbers, m.group(1), parse_number(m.group(2)))
        for m in BETWEEN_RE.finditer(text):
            lo, hi = parse_number(m.group(2)), parse_number(m.group(3))
            if not m.group(1)[0].isdigit() and lo is not None and hi is not None:
                add(self.ranges, m.group(1), (min(lo, hi), max(lo, hi)))


# --- values -----------------------------------------------------------------------------

def fmt_ts(ms, _cache={}):
    """RFC 3339 UTC with milliseconds: 2026-01-01T09:30:00.250Z."""
    day, r = divmod(ms, DAY)
    d = _cache.get(day)
    if d is None:
        d = _cache[day] = time.strftime("%Y-%m-%dT", time.gmtime(day * 86400))
    s, r = divmod(r, SEC)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return "%s%02d:%02d:%02d.%03dZ" % (d, h, m, s, r)


def num_profile(name, _cache={}):
    r = _cache.get(name)
    if r is None:
        r = _cache[name] = _num_profile(name)
    return r


def _num_profile(name):
    """(kind, lo, hi, median) of a realistic range for a numeric name."""
    n = name.lower()
    if "ltv" in n or "lifetime" in n or "revenue" in n or "spend" in n:
        return ("log", 0, 20000, 250)
    if "aov" in n or "value" in n or "price" in n or "amount" in n or "total" in n:
        return ("log", 1, 2500, 60)
    if "churn" in n or "score" in n:
        return ("uni", 0, 100, 0)
    if "rate" in n or "ratio" in n or "share" in n:
        return ("uni", 0, 0.6, 0)
    if n == "age" or n.endswith("_age"):
        return ("norm", 16, 90, 38)
    if "point" in n:
        return ("log", 0, 50000, 400)
    if "rating" in n or "severity" in n or "stars" in n or "priority" in n:
        return ("uni", 1, 5, 0)
    if "quantity" in n or n == "qty":
        return ("geo", 1, 12, 1.6)
    if "order" in n or "count" in n or "visit" in n:
        return ("geo", 0, 300, 6)
    if "result" in n:
        return ("log", 0, 2000, 40)
    return ("log", 0, 5000, 100)


class Values:
    def __init__(self, rng, schema):
        self.rng = rng
        self.s = schema
        self.string_pools = {}
        self.set_pools = {}
        self.emails_domains = EMAIL_DOMAINS[:]
        self.email_weights = EMAIL_DOMAIN_WEIGHT[:]
        for suf in schema.suffixes.get("email", []):
            if suf.startswith("@") and suf[1:] not in self.emails_domains:
                self.emails_domains.append(suf[1:])
                self.email_weights.append(4)

    def pools(self, name):
        """(rule literals, default values) for a string name."""
        p = self.string_pools.get(name)
        if p is None:
            defaults = DEFAULT_STRINGS.get(name)
            if defaults is None:
                base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "value"
                defaults = ["%s_%d" % (base, i) for i in range(1, 9)]
            lits = list(self.s.strings.get(name, []))
            known = {v.lower() for v in defaults} | {v.lower() for v in lits}
            for v in self.s.lowered.get(name, []):
                if v.lower() not in known:   # only when no value of that spelling exists
                    lits.append(v)
                    known.add(v.lower())
            p = self.string_pools[name] = (lits, defaults)
        return p

    def string(self, name):
        lits, defaults = self.pools(name)
        if lits and self.rng.random() < 0.5:
            return self.rng.choice(lits)
        return self.rng.choice(defaults)

    def number(self, name, integral):
        rng = self.rng
        kind, lo, hi, mid = num_profile(name)
        lits, ranges = self.s.numbers.get(name), self.s.ranges.get(name)
        v = None
        if (lits or ranges) and rng.random() < 0.4:
            # around a threshold the rules compare this name with, if the name allows it
            if ranges and (not lits or rng.random() < 0.5):
                a, b = rng.choice(ranges)
                w = (b - a) * 0.1 + 1
                v = rng.uniform(a - w, b + w)
            else:
                t = rng.choice(lits)
                v = t if integral and rng.random() < 0.15 else t * rng.uniform(0.7, 1.4)
            if not lo <= v <= hi:
                v = None
        if v is None:
            if kind == "log":
                v = min(hi, max(lo, math.exp(rng.gauss(math.log(mid + 1), 1.1)) - 1))
            elif kind == "norm":
                v = min(hi, max(lo, rng.gauss(mid, 13)))
            elif kind == "geo":
                v = min(hi, lo + int(rng.expovariate(1.0 / mid)))
            else:
                v = rng.uniform(lo, hi)
        if integral:
            return int(round(v))
        return round(v, 2)

    def duration(self, name):
        rng = self.rng
        n = name.lower()
        if "session" in n or "dwell" in n:
            return int(math.exp(rng.uniform(math.log(20), math.log(3 * 3600))))
        if rng.random() < 0.2:
            return 0
        return int(math.exp(rng.uniform(math.log(300), math.log(60 * 86400)))) // 60 * 60

    def time_before(self, name, now):
        """An instant before `now` that fits the name."""
        rng = self.rng
        n = name.lower()
        if "signup" in n or "created" in n or "first" in n:
            back = math.exp(rng.uniform(math.log(1), math.log(1500))) * DAY
        elif "login" in n or "seen" in n or "active" in n:
            back = math.exp(rng.uniform(math.log(0.02), math.log(200))) * DAY
        else:
            back = math.exp(rng.uniform(math.log(0.5), math.log(500))) * DAY
        return (now - int(back)) // SEC * SEC

    def set_value(self, name):
        rng = self.rng
        lits = self.s.set_items.get(name, [])
        pool = lits + [v for v in DEFAULT_SET if v not in lits]
        k = min(len(pool), int(rng.expovariate(0.7)))
        out = []
        for _ in range(k):
            v = rng.choice(lits) if lits and rng.random() < 0.5 else rng.choice(pool)
            if v not in out:
                out.append(v)
        return out

    def bool_value(self, name):
        n = name.lower()
        p = 0.5
        if n.startswith("is_") or "employee" in n or "refund" in n or "test" in n:
            p = 0.05
        elif "subscri" in n or "opt" in n or "verified" in n:
            p = 0.6
        return self.rng.random() < p

    def value(self, name, typ, now):
        if typ == "string":
            return self.string(name)
        if typ == "number":
            return self.number(name, False)
        if typ == "int":
            return self.number(name, True)
        if typ == "bool":
            return self.bool_value(name)
        if typ == "time":
            return fmt_ts(self.time_before(name, now))
        if typ == "duration":
            return self.duration(name)
        return self.set_value(name)

    # @id / @pii attributes: unique or person-like, never a rule literal
    def email(self, idx, first):
        rng = self.rng
        dom = rng.choices(self.emails_domains, self.email_weights)[0]
        local = rng.choice([first + str(idx), "user%d" % idx, "%s.%d" % (first, idx)])
        e = "%s@%s" % (local, dom)
        if rng.random() < 0.02:
            e = " " + e.capitalize() + " "     # messy input, normalised by the runtime
        return e

    def phone(self, idx):
        rng = self.rng
        cc, digits = rng.choices(CALLING, CALLING_WEIGHT)[0]
        if cc == "1":
            return "+1%s555%04d" % (rng.choice(US_AREAS), idx % 10000)
        return "+%s%0*d" % (cc, digits, rng.randrange(10 ** (digits - 1), 10 ** digits))

    def identifier(self, name, idx, first):
        n = name.lower()
        if "email" in n or "mail" in n:
            return self.email(idx, first)
        if "phone" in n or "mobile" in n or "msisdn" in n:
            return self.phone(idx)
        prefix = (n[:1] or "x").upper()
        return "%s-%06d" % (prefix, idx)


# --- the stream -------------------------------------------------------------------------

def event_weight(name):
    for pat, w in EVENT_WEIGHT:
        if re.search(pat, name):
            return w
    return DEFAULT_EVENT_WEIGHT


def role(name):
    if re.search(r"sign(ed)?_?up|regist", name):
        return "signup"
    if re.search(r"log(ged)?_?in|sign(ed)?_?in|app_open", name):
        return "start"
    if re.search(r"(^|_)view", name) and not re.search(r"review", name):
        return "view"
    if re.search(r"cart", name):
        return "cart"
    if re.search(r"purchas|order", name):
        return "purchase"
    return None


class Generator:
    def __init__(self, schema, n_profiles, n_lines, seed):
        self.rng = random.Random(seed)
        self.s = schema
        self.vals = Values(self.rng, schema)
        self.n_profiles = n_profiles
        self.n_lines = n_lines
        self.width = max(6, len(str(n_profiles)))
        ev = schema.events
        self.ev_names = [e for e, _ in ev]
        self.ev_props = {e: p for e, p in ev}
        self.ev_role = {e: role(e) for e in self.ev_names}
        self.ev_weight = [event_weight(e) for e in self.ev_names]
        if self.ev_names and not any(self.ev_weight):
            self.ev_weight = [1.0] * len(self.ev_names)
        self.cum_weight = []
        acc = 0.0
        for w in self.ev_weight:
            acc += w
            self.cum_weight.append(acc)
        self.total_weight = acc
        self.time_attrs = {n for n, t, _ in schema.attrs if t == "time"}
        self.by_role = {}
        for e in self.ev_names:
            self.by_role.setdefault(self.ev_role[e], []).append(e)
        attrs = schema.attrs
        self.id_attrs = [(n, t) for n, t, a in attrs if "@id" in a and t == "string"]
        self.plain = [(n, t) for n, t, a in attrs if not ("@id" in a and t == "string")]
        # attributes that change in updates, most mutable first
        self.upd_attrs = [(n, t) for n, t, _ in attrs]
        self.upd_weight = [self.mutability(n, t, a) for n, t, a in attrs]
        self.recs = []     # (delivery ms, seq, line)
        self.seq = 0
        self.counts = {"identify": 0, "update": 0, "track": 0, "late": 0}

    @staticmethod
    def mutability(name, typ, ann):
        n = name.lower()
        if "@id" in ann:
            return 0.3
        if "@pii" in ann or "signup" in n or "created" in n or n == "age":
            return 0.2
        if typ in ("int", "number") or "last" in n or "login" in n:
            return 3.0
        if typ == "set<string>":
            return 2.0
        return 1.0

    def hour_time(self, lo, hi):
        """A session start in [lo, hi), weighted by hour of day."""
        rng = self.rng
        if hi <= lo:
            return lo
        t = lo
        for _ in range(6):
            t = lo + int(rng.random() * (hi - lo))
            if rng.random() * 10 < HOUR_WEIGHT[(t // HOUR) % 24]:
                return t
        return t

    def emit(self, uid, ts, event, payload, late_ok=True):
        """One record at ts: an identify (event None, payload = traits) or a track."""
        delivery = ts
        if late_ok and self.rng.random() < LATE_SHARE:
            delivery = ts + self.rng.randrange(1 * SEC, 59 * SEC)
            self.counts["late"] += 1
        if event is None:
            body = {"type": "identify", "userId": uid, "timestamp": fmt_ts(ts), "traits": payload}
        else:
            body = {"type": "track", "userId": uid, "event": event, "timestamp": fmt_ts(ts),
                    "properties": payload}
        self.recs.append((delivery, self.seq, body))
        self.seq += 1

    # --- per profile ------------------------------------------------------------------
    def initial_traits(self, idx, first, now):
        v = self.vals
        traits = {}
        for n, t, a in self.s.attrs:
            if "@id" in a and t == "string":
                traits[n] = v.identifier(n, idx, first)
            elif t == "string" and "first" in n.lower() and "name" in n.lower():
                traits[n] = first.capitalize() if self.rng.random() < 0.7 else first
            elif t == "time":
                traits[n] = v.time_before(n, now)
            else:
                traits[n] = v.value(n, t, now)
        return traits

    def profile(self, idx, n_tracks, n_updates):
        rng = self.rng
        uid = "u%0*d" % (self.width, idx)
        first = rng.choice(DEFAULT_STRINGS["first_name"])
        new_user = rng.random() < 0.25
        # first seen: most of the base shows up early, new users across the month
        if new_user:
            t0 = START + int(rng.random() * (END - START - HOUR))
        else:
            t0 = START + int((rng.random() ** 2.5) * (END - START - HOUR))
        t0 = t0 // SEC * SEC + (rng.randrange(1000) if rng.random() < 0.5 else 0)
        state = self.initial_traits(idx, first, t0)
        if new_user:
            for n, t, _ in self.s.attrs:
                if t == "time" and ("signup" in n or "created" in n or "login" in n or "seen" in n):
                    state[n] = t0
                elif t == "time" and "order" in n:
                    state[n] = None
                elif t == "int" and ("order" in n):
                    state[n] = 0
                elif t == "number" and ("ltv" in n or "lifetime" in n):
                    state[n] = 0.0
        traits = {k: (fmt_ts(x) if isinstance(x, int) and self.is_time(k) else x)
                  for k, x in state.items() if x is not None}
        self.emit(uid, t0, None, traits, late_ok=False)
        self.counts["identify"] += 1

        # tracks, in sessions after t0
        tracks = []   # (ts, event, props)
        if n_tracks and self.ev_names:
            remaining = n_tracks
            sizes = []
            while remaining > 0:
                k = min(remaining, 1 + int(rng.expovariate(1 / 3.5)))
                sizes.append(k)
                remaining -= k
            starts = sorted(self.hour_time(t0 + SEC, END - 10 * MIN) for _ in sizes)
            if new_user and "signup" in self.by_role:
                starts[0] = t0 + rng.randrange(SEC, 20 * SEC)
            for si, (st, k) in enumerate(zip(starts, sizes)):
                tracks.extend(self.session(st, k, signup=(new_user and si == 0)))
        # updates: after purchases and logins, or whenever
        upd_times = []
        hooks = [(ts, e) for ts, e, _ in tracks if self.ev_role[e] in ("purchase", "start")]
        for _ in range(n_updates):
            if hooks and rng.random() < 0.5:
                ts, e = rng.choice(hooks)
                upd_times.append((ts + rng.randrange(SEC, 40 * SEC), e))
            else:
                upd_times.append((self.hour_time(t0 + SEC, END - SEC), None))
        upd_times.sort()
        ui = 0
        last_purchase = None
        for ts, e, props in tracks:
            while ui < len(upd_times) and upd_times[ui][0] <= ts:
                self.update(uid, state, upd_times[ui], last_purchase)
                ui += 1
            if self.ev_role[e] == "purchase":
                last_purchase = (ts, props)
            self.emit(uid, ts, e, props)
            self.counts["track"] += 1
        while ui < len(upd_times):
            self.update(uid, state, upd_times[ui], last_purchase)
            ui += 1

    def is_time(self, name):
        return name in self.time_attrs

    def session(self, st, k, signup):
        rng, v = self.rng, self.vals
        out = []
        ts = st
        sticky = {}     # sku / category / price carried through the funnel
        names = self.ev_names
        for i in range(k):
            if i:
                ts += SEC + int(rng.expovariate(1 / 45.0) * SEC)
            if signup and i == 0:
                e = rng.choice(self.by_role["signup"])
            elif i == 0 and "start" in self.by_role and rng.random() < 0.45:
                e = rng.choice(self.by_role["start"])
            else:
                e = names[min(len(names) - 1,
                              bisect.bisect(self.cum_weight, rng.random() * self.total_weight))]
                r = self.ev_role[e]
                # funnel: a purchase mostly follows a cart, a cart mostly a view
                if r == "purchase" and "cart" in self.by_role and not sticky.get("_cart") \
                        and rng.random() < 0.6:
                    e = rng.choice(self.by_role["cart"])
                elif r == "cart" and "view" in self.by_role and not sticky.get("_view") \
                        and rng.random() < 0.5:
                    e = rng.choice(self.by_role["view"])
            r = self.ev_role[e]
            props = {}
            for p, t in self.ev_props[e]:
                if p in sticky and rng.random() < 0.75:
                    val = sticky[p]
                elif r == "purchase" and t == "number" and "_cart" in sticky and \
                        ("value" in p or "total" in p or "amount" in p):
                    val = round(sticky["_cart"] * rng.uniform(0.9, 1.1), 2)
                else:
                    val = v.value(p, t, ts)
                props[p] = val
                if p in ("sku", "category", "price", "product_id"):
                    sticky[p] = val
            if r == "view":
                sticky["_view"] = True
            elif r == "cart":
                cv = next((props[p] for p, t in self.ev_props[e] if t == "number"), None)
                sticky["_cart"] = cv if cv is not None else 50.0
            elif r == "purchase":
                sticky.pop("_cart", None)
            # now and then a property is simply absent, or null
            if props and rng.random() < 0.05:
                p = rng.choice(list(props))
                if rng.random() < 0.5:
                    del props[p]
                else:
                    props[p] = None
            out.append((ts, e, props))
        return out

    def update(self, uid, state, upd, last_purchase):
        rng, v = self.rng, self.vals
        ts, hook = upd
        changes = {}
        role_ = self.ev_role.get(hook) if hook else None
        if role_ == "purchase" and last_purchase:
            _, props = last_purchase
            amount = next((x for x in props.values() if isinstance(x, float)), None)
            for n, t, _ in self.s.attrs:
                ln = n.lower()
                if t == "int" and "order" in ln:
                    changes[n] = (state.get(n) or 0) + 1
                elif t == "time" and "order" in ln:
                    changes[n] = ts
                elif t == "number" and ("ltv" in ln or "lifetime" in ln) and amount is not None:
                    changes[n] = round((state.get(n) or 0) + amount, 2)
                elif t == "int" and "point" in ln and amount is not None:
                    changes[n] = (state.get(n) or 0) + int(amount)
        elif role_ == "start":
            for n, t, _ in self.s.attrs:
                ln = n.lower()
                if t == "time" and ("login" in ln or "seen" in ln):
                    changes[n] = ts
                elif t == "int" and "visit" in ln:
                    changes[n] = (state.get(n) or 0) + 1
        want = rng.randint(1, 3) if not changes else rng.randint(0, 1)
        for _ in range(want):
            (n, t), = rng.choices(self.upd_attrs, self.upd_weight)
            if n in changes:
                continue
            old = state.get(n)
            if rng.random() < 0.03:
                changes[n] = None      # a null deletes the trait
            elif t == "int" and isinstance(old, int) and rng.random() < 0.7:
                changes[n] = max(0, old + rng.randint(-2, 5))
            elif t == "number" and isinstance(old, float) and rng.random() < 0.7:
                changes[n] = round(max(0.0, old * rng.uniform(0.8, 1.3)), 2)
            elif t == "time":
                changes[n] = ts - rng.randrange(0, 3 * DAY) if rng.random() < 0.6 \
                    else v.time_before(n, ts)
            elif t == "string" and n in [a for a, _ in self.id_attrs]:
                idx = int(uid[1:])
                changes[n] = v.identifier(n, idx + self.n_profiles * rng.randint(1, 9),
                                          rng.choice(DEFAULT_STRINGS["first_name"]))
            else:
                changes[n] = v.value(n, t, ts)
        if not changes:
            n, t = rng.choice(self.upd_attrs) if self.upd_attrs else (None, None)
            if n is not None:
                changes[n] = v.value(n, t, ts) if t != "time" else ts
        traits = {}
        for n, x in changes.items():
            state[n] = x
            traits[n] = fmt_ts(x) if isinstance(x, int) and self.is_time(n) else x
        self.emit(uid, ts, None, traits)
        self.counts["update"] += 1

    def generate(self):
        rng = self.rng
        n_prof = min(self.n_profiles, self.n_lines)
        if n_prof == 0:
            return self.recs
        rest = self.n_lines - n_prof
        n_upd = min(rest, int(round(self.n_lines * UPDATE_SHARE))) if self.s.attrs else 0
        n_trk = rest - n_upd
        if not self.ev_names:          # nothing to track: fill with updates
            n_upd, n_trk = rest, 0
            if not self.s.attrs and rest:
                raise SystemExit("gen_stream: the rules declare neither attributes nor events")
        # activity: heavy-tailed per profile
        act = [math.exp(rng.gauss(0, 1.0)) for _ in range(n_prof)]
        cum, acc = [], 0.0
        for a in act:
            acc += a
            cum.append(acc)
        tr = [0] * n_prof
        up = [0] * n_prof
        for i in rng.choices(range(n_prof), cum_weights=cum, k=n_trk):
            tr[i] += 1
        for i in rng.choices(range(n_prof), cum_weights=cum, k=n_upd):
            up[i] += 1
        for i in range(n_prof):
            self.profile(i + 1, tr[i], up[i])
        self.recs.sort(key=lambda r: (r[0], r[1]))
        return self.recs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rules", help="a .seg file from bench/gen_rules.py")
    ap.add_argument("--profiles", type=int, default=20000, help="profiles (default 20000)")
    ap.add_argument("--events", type=int, default=200000, help="lines to write (default 200000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    a = ap.parse_args()
    if a.profiles < 1 or a.events < 0:
        ap.error("--profiles must be at least 1 and --events at least 0")
    with open(a.rules, encoding="utf-8") as f:
        schema = Schema(f.read())
    if not schema.attrs and not schema.events:
        ap.error("%s: no profile block and no event declarations found" % a.rules)
    g = Generator(schema, a.profiles, a.events, a.seed)
    recs = g.generate()
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    text = "".join(dumps(body) + "\n" for _, _, body in recs)
    if a.output == "-":
        sys.stdout.write(text)
    else:
        with open(a.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    c = g.counts
    sys.stderr.write("gen_stream: %d lines, %d profiles, %d attributes, %d events: %d identify, "
                     "%d identify updates, %d track, %d late\n"
                     % (len(recs), min(a.profiles, a.events), len(schema.attrs), len(schema.events),
                        c["identify"], c["update"], c["track"], c["late"]))


if __name__ == "__main__":
    main()
