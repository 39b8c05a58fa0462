#!/usr/bin/env python3
"""Generate a seeded, realistic Segment-spec NDJSON stream for the retention example.

    examples/retention/generate_stream.py --seed 42 --profiles 20000 --events 200000 \\
        [--start 2026-03-01T00:00:00Z] [--days 30] [--malformed 25] > stream.ndjson

The stream is the input of `seg run` (RUNTIME.md §2): `identify` calls with the traits
of schema.seg, `track` calls of the declared events (viewed_product, added_to_cart,
purchased) plus ignored records (`page`, `screen`, undeclared track events), in
timestamp order except ~0.5% late records (delivered minutes to hours after their own
timestamp), with `--malformed` bad lines spread through it. Exactly `--events` lines.

Each profile is drawn from an archetype so that every rule of segments.seg / tiers.seg
fires: browsers (>= 2 views in 3 days), cart abandoners (carts >= $75 and >= $150,
repeat abandoners, late converters), buyers (views -> cart -> purchase within hours,
repeat buyers, refunds), replenishers (a kept consumables order early in the window, so
the 21-35 day window opens inside the stream), lapsed customers (last_order_date 90-365
days back, some crossing a bound during the window, some coming back) and casual
visitors; VIPs by ltv or tag, and do_not_target tags, across all of them. Background
sessions fill the line budget. Every profile's first line is an `identify`.

Deterministic: one random.Random(seed), no wall clock, no set or hash ordering.
Standard library only. A one-line summary of what was written goes to stderr.
"""
import argparse
import calendar
import datetime
import json
import math
import random
import sys
import time

SEC = 1000
MIN = 60 * SEC
HOUR = 60 * MIN
DAY = 24 * HOUR

# Share of the whole audience active per UTC hour (US-heavy store), for session starts.
HOUR_WEIGHT = [7, 6, 5, 4, 3, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10, 10, 10, 9, 9, 8]

# category: (sku prefix, low price, high price, consumable)
CATALOG = [
    ("shoes", "SH", 45, 220, False),
    ("bags", "BG", 35, 320, False),
    ("apparel", "AP", 15, 120, False),
    ("beauty", "BE", 8, 65, True),
    ("coffee", "CF", 12, 42, True),
    ("pet_food", "PF", 18, 85, True),
    ("home", "HM", 12, 160, False),
    ("electronics", "EL", 25, 480, False),
]
CATEGORY_WEIGHT = [14, 10, 18, 14, 10, 8, 14, 12]
CONSUMABLES = [i for i, c in enumerate(CATALOG) if c[4]]

COUNTRIES = ["US", "CA", "GB", "DE", "FR", "AU", "NL", "ES", "IT", "SE", "JP", "BR"]
COUNTRY_WEIGHT = [50, 8, 12, 6, 5, 5, 3, 3, 3, 2, 2, 1]
CALLING_CODE = {"DE": "49", "FR": "33", "AU": "61", "NL": "31", "ES": "34", "IT": "39",
                "SE": "46", "JP": "81", "BR": "55"}
US_AREAS = ["415", "212", "312", "646", "213", "617", "206", "512", "305", "720"]
CA_AREAS = ["416", "604", "514", "403"]

FIRST = ["ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal", "ivy", "jo", "kim", "lee",
         "mia", "nia", "ola", "sam", "tom", "uma", "vic", "wen", "xan", "yui", "zoe", "amir",
         "bea", "chen", "dara", "eli", "femi", "gita", "hugo", "ines", "jonas", "kofi",
         "lena", "marc", "nora", "omar", "pia", "raj", "sofia", "theo"]
LAST = ["smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "martin", "lee",
        "walker", "hall", "young", "king", "wright", "scott", "green", "baker", "adams",
        "nelson", "hill", "campbell", "mitchell", "roberts", "carter", "phillips", "evans",
        "turner", "torres", "parker", "collins", "edwards", "stewart", "morris", "nguyen",
        "murphy", "rivera", "cook", "rogers", "morgan", "peterson", "cooper", "reed"]
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
           "example.com", "proton.me", "fastmail.com", "acme.co", "web.de"]
DOMAIN_WEIGHT = [36, 10, 10, 5, 9, 12, 3, 2, 2, 3]
PLUS_TAGS = ["shop", "promo", "orders", "2026", "deals", "store"]
OTHER_TAGS = ["newsletter", "press", "wholesale", "beta", "influencer", "staff"]

LIBS = {"web": {"name": "analytics.js", "version": "5.2.1"},
        "ios": {"name": "analytics-ios", "version": "4.1.8"},
        "android": {"name": "analytics-android", "version": "4.11.3"}}
PAGES = [("Home", "/"), ("Category", "/c/"), ("Search", "/search"), ("Cart", "/cart"),
         ("Account", "/account"), ("Help", "/help"), ("Blog", "/blog")]
SCREENS = ["Home", "Search", "Category", "Cart", "Account", "Orders", "Settings"]
UNDECLARED = ["app_opened", "product_list_viewed", "checkout_started", "email_opened",
              "coupon_applied", "signed_in", "wishlist_added"]

ARCHETYPES = ["browser", "abandoner", "buyer", "replenisher", "lapsed", "casual"]
ARCHETYPE_WEIGHT = [22, 20, 18, 8, 12, 20]

MALFORMED_KINDS = ["truncated_json", "non_object_json", "missing_timestamp", "bare_date_timestamp",
                   "numeric_timestamp", "missing_key", "ltv_wrong_type", "orders_not_int",
                   "traits_not_object", "track_without_event", "nan_number", "blank"]


def parse_time(text):
    t = text.strip()
    if t.endswith("Z") or t.endswith("z"):
        t = t[:-1] + "+00:00"
    d = datetime.datetime.fromisoformat(t)
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return calendar.timegm(d.utctimetuple()) * SEC + d.microsecond // 1000


def fmt_time(ms, frac_digits=None, offset_min=0):
    """RFC 3339: seconds only when the ms are zero, else .sss (or a given precision)."""
    local = ms + offset_min * MIN
    s, r = divmod(local, SEC)
    text = "%04d-%02d-%02dT%02d:%02d:%02d" % time.gmtime(s)[:6]
    if frac_digits is None:
        frac_digits = 3 if r else 0
    if frac_digits == 3:
        text += ".%03d" % r
    elif frac_digits == 6:
        text += ".%03d%03d" % (r, (ms * 7919) % 1000)  # sub-ms digits, truncated by readers
    if offset_min == 0:
        return text + "Z"
    sign = "+" if offset_min > 0 else "-"
    return text + "%s%02d:%02d" % (sign, abs(offset_min) // 60, abs(offset_min) % 60)


dumps = json.JSONEncoder(separators=(",", ":")).encode


class Profile:
    __slots__ = ("idx", "uid", "anon", "anon_only", "with_anon", "platform", "country",
                 "email", "phone", "ltv", "orders", "last_order", "lod_offset", "tags",
                 "subscribed", "first_ts", "arche", "extras")


class Generator:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.n_profiles = args.profiles
        self.target = args.events - args.malformed
        self.n_malformed = args.malformed
        self.start = parse_time(args.start)
        self.end = self.start + args.days * DAY
        self.days = args.days
        self.recs = []  # (ts, seq, line, kind, is_first_identify, profile idx)
        self.last_item = None  # the product of the last view of the last browse()
        self.seq = 0
        self.width = max(6, len(str(args.profiles)))
        self.order_no = 100000
        self.arche_count = {a: 0 for a in ARCHETYPES}
        self.scenario = {"vip_tag": 0, "vip_ltv": 0, "do_not_target": 0, "anon_only": 0,
                         "key_change": 0, "trait_null": 0}
        rng = self.rng
        # A fixed catalogue: 40 SKUs per category, each with its own price.
        self.skus = []
        for name, prefix, lo, hi, _ in CATALOG:
            items = []
            for k in range(40):
                price = math.exp(rng.uniform(math.log(lo), math.log(hi)))
                items.append(("%s-%04d" % (prefix, 1000 + k * 7), round(price, 2) if rng.random() < 0.7
                              else float(int(price)) + 0.99, name))
            self.skus.append(items)

    # --- small helpers ----------------------------------------------------------------

    def pick(self, seq, weights):
        return self.rng.choices(seq, weights)[0]

    def rand_time(self, lo, hi):
        """A session start in [lo, hi), weighted by hour of day."""
        rng = self.rng
        if hi <= lo:
            return lo
        t = lo
        for _ in range(6):
            t = lo + rng.randrange(hi - lo)
            if rng.random() * 10 < HOUR_WEIGHT[(t // HOUR) % 24]:
                return t
        return t

    def message_id(self, p):
        if p.platform == "web":
            return "ajs-next-%032x" % self.rng.getrandbits(128)
        r = self.rng.getrandbits(122)
        return "%08x-%04x-4%03x-%04x-%012x" % (r >> 90, (r >> 74) & 0xFFFF, (r >> 62) & 0xFFF,
                                               0x8000 | ((r >> 48) & 0x3FFF), r & 0xFFFFFFFFFFFF)

    # --- records ----------------------------------------------------------------------

    def emit(self, p, ts, typ, body_key=None, body=None, event=None, name=None, exact=False,
             first=False):
        """Append one record of profile p at ts; returns the ts actually used (or None past
        the end of the window). Most timestamps are whole seconds, some carry ms, a few us."""
        if ts >= self.end:
            return None
        rng = self.rng
        digits = None
        if not exact:
            r = rng.random()
            if r < 0.004:
                digits = 6
            elif r < 0.30:
                digits = 3
            else:
                rounded = ts - ts % SEC
                if first or rounded >= p.first_ts:
                    ts = rounded
                digits = None
        obj = {"type": typ}
        if p.anon_only:
            if rng.random() < 0.1:
                obj["userId"] = None
            obj["anonymousId"] = p.anon
        else:
            obj["userId"] = p.uid
            if p.with_anon:
                obj["anonymousId"] = p.anon
        if event is not None:
            obj["event"] = event
        if name is not None:
            obj["name"] = name
        obj["timestamp"] = fmt_time(ts, digits)
        if body_key is not None:
            obj[body_key] = body
        obj["context"] = {"library": LIBS[p.platform]}
        obj["messageId"] = self.message_id(p)
        if typ == "track":
            kind = "track:" + event if event in ("viewed_product", "added_to_cart", "purchased") \
                else "track:undeclared"
            if event == "purchased" and body and body.get("refunded") is True:
                kind = "track:purchased(refund)"
        else:
            kind = typ
        self.recs.append((ts, self.seq, dumps(obj), kind, first, p.idx))
        self.seq += 1
        return ts

    def identify(self, p, ts, traits, exact=False, first=False):
        return self.emit(p, ts, "identify", "traits", traits, exact=exact, first=first)

    def lod_text(self, p):
        return fmt_time(p.last_order, 0, p.lod_offset)

    def ltv_value(self, x):
        return round(x, 2) if self.rng.random() < 0.8 else int(round(x))

    def first_identify(self, p):
        rng = self.rng
        t = {}
        if p.email is not None and rng.random() < 0.95:
            t["email"] = p.email
        if p.phone is not None:
            t["phone"] = p.phone
        customer = p.orders > 0
        if customer or (not p.anon_only and rng.random() < 0.6):
            if rng.random() < 0.95:
                t["ltv"] = self.ltv_value(p.ltv)
            if rng.random() < 0.95:
                t["orders"] = float(p.orders) if rng.random() < 0.01 else p.orders
        if p.last_order is not None:
            t["last_order_date"] = self.lod_text(p)
        if rng.random() < 0.9:
            t["country"] = p.country
        if rng.random() < 0.85:
            t["subscribed"] = p.subscribed
        if p.tags or rng.random() < 0.15:
            t["tags"] = list(p.tags)
        # Traits the schema does not declare: dropped (and counted) by the runtime.
        if not p.anon_only and rng.random() < 0.35:
            t["first_name"] = p.extras[0].capitalize()
            t["last_name"] = p.extras[1].capitalize()
        if rng.random() < 0.2:
            t["created_at"] = fmt_time(p.first_ts - rng.randrange(1, 900) * DAY, 0)
        if rng.random() < 0.1:
            t["plan"] = rng.choice(["free", "plus", "pro"])
        p.first_ts = self.identify(p, p.first_ts, t, first=True)

    def product(self, cat=None):
        rng = self.rng
        if cat is None:
            cat = self.pick(range(len(CATALOG)), CATEGORY_WEIGHT)
        return self.skus[cat][rng.randrange(40)]

    def view(self, p, ts, item):
        rng = self.rng
        props = {"sku": item[0]}
        if rng.random() < 0.97:
            props["category"] = item[2]
        if rng.random() < 0.4:
            props["price"] = item[1]  # not declared: dropped
        if rng.random() < 0.2:
            props["product_name"] = "%s %s" % (item[2].replace("_", " ").title(), item[0][-4:])
        return self.emit(p, ts, "track", "properties", props, event="viewed_product")

    def ignored(self, p, ts):
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            return self.emit(p, ts, "track", "properties",
                             {"source": rng.choice(["push", "direct", "email", "deeplink"])}
                             if rng.random() < 0.7 else {},
                             event=rng.choice(UNDECLARED))
        if p.platform == "web":
            name, path = rng.choice(PAGES)
            return self.emit(p, ts, "page", "properties",
                             {"path": path, "url": "https://shop.example.com" + path},
                             name=name)
        screen = rng.choice(SCREENS)
        return self.emit(p, ts, "screen", "properties", {"name": screen}, name=screen)

    def browse(self, p, ts, n_views, cat=None):
        """A browsing session: n product views, with page/screen noise; returns the end."""
        rng = self.rng
        if cat is None:
            cat = self.pick(range(len(CATALOG)), CATEGORY_WEIGHT)
        self.last_item = None
        for i in range(n_views):
            if i:
                ts += rng.randrange(15 * SEC, 8 * MIN)
            if rng.random() < 0.3:
                if self.ignored(p, ts) is None:
                    return ts
                ts += rng.randrange(2 * SEC, 40 * SEC)
            item = self.product(cat if rng.random() < 0.75 else None)
            if self.view(p, ts, item) is None:
                return ts
            self.last_item = item
        return ts

    def cart(self, p, ts, n_items, cat=None, start_value=0.0, big=False):
        """n items added to the cart (the first one often the product just viewed);
        cart_value is the whole cart after each add."""
        rng = self.rng
        value = start_value
        viewed, self.last_item = self.last_item, None
        for i in range(n_items):
            ts += rng.randrange(20 * SEC, 6 * MIN)
            if i == 0 and viewed is not None and rng.random() < 0.7:
                item = viewed
            else:
                item = self.product(cat)
            if big and i == n_items - 1 and value + item[1] < 150:
                big_cat = self.skus[self.pick([0, 1, 7], [3, 3, 4])]
                item = max((big_cat[rng.randrange(40)] for _ in range(4)), key=lambda it: it[1])
            qty = 2 if rng.random() < 0.12 else 1
            value = round(value + item[1] * qty, 2)
            props = {"cart_value": value, "sku": item[0]}
            if rng.random() < 0.5:
                props["quantity"] = qty
            if rng.random() < 0.3:
                props["currency"] = "USD"
            if self.emit(p, ts, "track", "properties", props, event="added_to_cart") is None:
                return ts, value
        return ts, value

    def purchase(self, p, ts, value, refund_p=0.08):
        """An order, the order service's identify, and sometimes a refund days later."""
        rng = self.rng
        if rng.random() < 0.15:
            value = round(value * 0.9, 2)  # discount code
        if rng.random() < 0.25:
            value = round(value + 6.95, 2)  # shipping
        self.order_no += rng.randrange(1, 40)
        order_id = "o%d" % self.order_no
        props = {"order_value": value, "refunded": False, "order_id": order_id}
        if rng.random() < 0.02:
            del props["refunded"]  # absent property: missing
        if rng.random() < 0.4:
            props["currency"] = "USD"
        ts = self.emit(p, ts, "track", "properties", props, event="purchased")
        if ts is None:
            return None
        p.orders += 1
        p.ltv += value
        p.last_order = ts
        p.lod_offset = 0
        # last_order_date catches up at once (same instant) or a few minutes later.
        lag = 0 if rng.random() < 0.5 else rng.randrange(1 * SEC, 5 * MIN)
        self.identify(p, ts + lag, {"ltv": self.ltv_value(p.ltv), "orders": p.orders,
                                    "last_order_date": fmt_time(ts)}, exact=(lag == 0))
        if rng.random() < refund_p:
            rts = ts + rng.randrange(6 * HOUR, 12 * DAY)
            rprops = {"order_value": value, "refunded": True, "order_id": order_id}
            if self.emit(p, rts, "track", "properties", rprops, event="purchased") is not None:
                p.ltv = max(0.0, p.ltv - value)
                self.identify(p, rts + rng.randrange(0, 3 * MIN), {"ltv": self.ltv_value(p.ltv)})
        return ts

    # --- profiles ---------------------------------------------------------------------

    def make_email(self, p):
        rng = self.rng
        f, l = p.extras
        dom = self.pick(DOMAINS, DOMAIN_WEIGHT)
        n = p.idx % 1000 + rng.randrange(0, 50)
        form = rng.randrange(5)
        local = ["%s.%s%d" % (f, l, n), "%s%s%d" % (f, l, n), "%s%s%d" % (f[0], l, n),
                 "%s_%s%d" % (f, l, n % 100 + p.idx // 100), "%s%d" % (f, p.idx)][form]
        if dom == "gmail.com":
            if rng.random() < 0.25:  # gmail ignores dots
                k = rng.randrange(1, len(local))
                if local[k - 1] != "." and local[k] != ".":
                    local = local[:k] + "." + local[k:]
            if rng.random() < 0.2:
                local += "+" + rng.choice(PLUS_TAGS)
        email = local + "@" + dom
        r = rng.random()
        if r < 0.12:
            email = local[:1].upper() + local[1:] + "@" + dom.capitalize()
        elif r < 0.15:
            email = email.upper()
        r = rng.random()
        if r < 0.04:
            email = " " + email + " "
        elif r < 0.06:
            email = email + "  "
        return email

    def make_phone(self, p):
        rng = self.rng
        if rng.random() < 0.03:
            return rng.choice(["12", "555", "0", "n/a", "+1 555"])
        c = p.country
        line = "01%02d" % rng.randrange(100)  # 555-0100..0199: reserved for fiction
        if c in ("US", "CA"):
            area = rng.choice(US_AREAS if c == "US" else CA_AREAS)
            return self.pick(["+1 %s 555 %s" % (area, line), "(%s) 555-%s" % (area, line),
                              "%s-555-%s" % (area, line), "+1%s555%s" % (area, line),
                              "%s.555.%s" % (area, line), "1-%s-555-%s" % (area, line)],
                             [25, 30, 15, 15, 8, 7])
        if c == "GB":
            tail = "%03d" % rng.randrange(1000)
            return self.pick(["+44 20 7946 0%s" % tail, "+447700900%s" % tail,
                              "+44 7700 900%s" % tail, "020 7946 0%s" % tail],
                             [40, 25, 25, 10])  # the last has no "+": read as US, invalid
        cc = CALLING_CODE[c]
        digits = "%d%07d" % (rng.randrange(2, 9), rng.randrange(10 ** 7))
        return self.pick(["+%s %s %s" % (cc, digits[:3], digits[3:]), "+%s%s" % (cc, digits),
                          "00%s %s" % (cc, digits)], [60, 30, 10])

    def customer_history(self, p, lod_lo_days, lod_hi_days, high_value_p=0.12):
        """An existing customer: orders, ltv and last_order_date (days before start)."""
        rng = self.rng
        if rng.random() < high_value_p:
            p.orders = rng.randrange(5, 31)
            aov = rng.uniform(70, 210)
        else:
            p.orders = 1 + min(int(rng.expovariate(0.6)), 12)
            aov = math.exp(rng.gauss(4.0, 0.45))
        p.ltv = p.orders * aov * rng.uniform(0.85, 1.1)
        if rng.random() < 0.05:
            p.last_order = None  # the order service never filled it in
        else:
            p.last_order = self.start - int(rng.uniform(lod_lo_days, lod_hi_days) * DAY)
            p.last_order -= p.last_order % SEC
            p.lod_offset = 0 if rng.random() < 0.94 else rng.choice([-300, -240, 60, 120, 330])

    def new_profile(self, idx, arche):
        rng = self.rng
        p = Profile()
        p.idx = idx
        p.arche = arche
        p.uid = "u%0*d" % (self.width, idx + 1)
        r = rng.getrandbits(122)
        p.anon = "%08x-%04x-4%03x-%04x-%012x" % (r >> 90, (r >> 74) & 0xFFFF, (r >> 62) & 0xFFF,
                                                0x8000 | ((r >> 48) & 0x3FFF), r & 0xFFFFFFFFFFFF)
        p.anon_only = arche in ("browser", "abandoner", "casual") and rng.random() < 0.2
        p.with_anon = rng.random() < 0.3
        p.platform = self.pick(["web", "ios", "android"], [60, 25, 15])
        p.country = self.pick(COUNTRIES, COUNTRY_WEIGHT)
        p.extras = (rng.choice(FIRST), rng.choice(LAST))
        p.email = None
        p.phone = None
        if not p.anon_only:
            if rng.random() < 0.9:
                p.email = self.make_email(p)
            if rng.random() < 0.6:
                p.phone = self.make_phone(p)
        elif rng.random() < 0.25:
            p.email = self.make_email(p)  # newsletter pop-up before signing up
        p.ltv = 0.0
        p.orders = 0
        p.last_order = None
        p.lod_offset = 0
        p.tags = []
        p.subscribed = rng.random() < 0.55
        if arche == "buyer" and rng.random() < 0.6:
            self.customer_history(p, 15, 200)
        elif arche == "replenisher":
            # The previous order 21-35 days before the window (some a little older).
            if rng.random() < 0.75:
                self.customer_history(p, 21, 35)
            else:
                self.customer_history(p, 36, 55)
        elif arche == "lapsed":
            r = rng.random()
            if r < 0.12:
                self.customer_history(p, 75, 90, 0.2)     # cross 90 days during the window
            elif r < 0.85:
                self.customer_history(p, 90, 355, 0.2)    # lapsed
            elif r < 0.93:
                self.customer_history(p, 355, 375, 0.2)   # cross 365 days during the window
            else:
                self.customer_history(p, 380, 800, 0.2)  # churned
        elif arche in ("casual", "abandoner", "browser") and not p.anon_only and rng.random() < 0.35:
            self.customer_history(p, 1, 120)
        # CRM tags.
        if not p.anon_only:
            if rng.random() < 0.025:
                p.tags.append("vip")
                self.scenario["vip_tag"] += 1
            if rng.random() < 0.015:
                p.tags.append("do_not_target")
                self.scenario["do_not_target"] += 1
            if rng.random() < 0.08:
                p.tags.append(rng.choice(OTHER_TAGS))
        if p.ltv >= 500:
            self.scenario["vip_ltv"] += 1
        if p.anon_only:
            self.scenario["anon_only"] += 1
        # First seen: a third on the first two days (the morning sync, returning
        # customers), the rest spread over the window; replenishers early enough that
        # their window opens before the end.
        if arche == "replenisher":
            span = max(1, self.days - 22) * DAY
            p.first_ts = self.rand_time(self.start, self.start + span)
        elif rng.random() < 0.33:
            p.first_ts = self.rand_time(self.start, self.start + min(2, self.days) * DAY)
        else:
            p.first_ts = self.rand_time(self.start, self.end - 10 * MIN)
        return p

    def later_identifies(self, p):
        """Key changes, traits nulled out, consent and CRM tag changes."""
        rng = self.rng
        lo = p.first_ts + HOUR
        if lo >= self.end or p.anon_only:
            return
        r = rng.random()
        if r < 0.035:
            self.scenario["key_change"] += 1
            t = self.rand_time(lo, self.end)
            if p.email is not None and rng.random() < 0.6:
                p.email = self.make_email(p)
                self.identify(p, t, {"email": p.email})
            else:
                p.phone = self.make_phone(p)
                self.identify(p, t, {"phone": p.phone})
        elif r < 0.05:
            self.scenario["trait_null"] += 1
            field = rng.choice(["phone", "tags", "email", "last_order_date", "subscribed"])
            self.identify(p, self.rand_time(lo, self.end), {field: None})
        elif r < 0.08:
            p.subscribed = not p.subscribed
            self.identify(p, self.rand_time(lo, self.end), {"subscribed": p.subscribed})
        elif r < 0.09:
            # CRM hand-picks a VIP, or care asks not to target someone any more.
            tag = "vip" if rng.random() < 0.6 else "do_not_target"
            if tag not in p.tags:
                p.tags.append(tag)
                self.scenario["vip_tag" if tag == "vip" else "do_not_target"] += 1
            self.identify(p, self.rand_time(lo, self.end), {"tags": list(p.tags)})

    def session_gap(self, lo_h, hi_h):
        return self.rng.randrange(int(lo_h * HOUR), int(hi_h * HOUR))

    def run_browser(self, p):
        rng = self.rng
        t = p.first_ts + rng.randrange(5 * SEC, 5 * MIN)
        for s in range(1 + (rng.random() < 0.55) + (rng.random() < 0.25)):
            if s:
                t += self.session_gap(4, 80)  # often within 3 days of the last view
            n = self.pick([1, 2, 3, 4, 5], [35, 30, 18, 11, 6])
            t = self.browse(p, self.rand_time(t, t + 2 * HOUR), n)
            if t >= self.end:
                return

    def cart_items(self):
        return self.pick([1, 2, 3], [55, 30, 15])

    def run_abandoner(self, p):
        rng = self.rng
        t = p.first_ts + rng.randrange(5 * SEC, 5 * MIN)
        t = self.browse(p, t, self.pick([1, 2, 3], [40, 40, 20]))
        big = rng.random() < 0.25
        t, value = self.cart(p, t, self.cart_items(), big=big)
        r = rng.random()
        if r < 0.08:  # buys after all, within the day
            t += self.session_gap(1, 20)
            self.purchase(p, t, value)
        elif r < 0.26:  # comes back days later and buys
            t += self.session_gap(26, 120)
            t = self.browse(p, t, self.pick([0, 1, 2], [30, 40, 30]))
            t, value = self.cart(p, t, 1, start_value=value)
            self.purchase(p, t + rng.randrange(1 * MIN, 40 * MIN), value)
        elif r < 0.38:  # keeps adding to the cart within the day (TTL)
            for _ in range(rng.randrange(1, 4)):
                t += self.session_gap(2, 20)
                t, value = self.cart(p, t, 1, start_value=value)
        elif r < 0.45:  # swaps to a small cart
            t += self.session_gap(0.2, 6)
            t, value = self.cart(p, t, 1, cat=3)
        elif r < 0.75:  # a new episode days later
            t += self.session_gap(30, 200)
            t = self.browse(p, t, self.pick([0, 1, 2], [30, 40, 30]))
            t, value = self.cart(p, t, self.cart_items(), big=rng.random() < 0.2)

    def run_buyer(self, p):
        rng = self.rng
        t = p.first_ts + rng.randrange(5 * SEC, 10 * MIN)
        n = self.pick([1, 2, 3, 4], [50, 27, 14, 9])
        for k in range(n):
            if k:
                t += self.session_gap(20, 14 * 24)
                if rng.random() < 0.15:  # an abandoned cart between two orders
                    t2, _ = self.cart(p, self.browse(p, t, 1), self.cart_items())
                    t = t2 + self.session_gap(26, 60)
            t = self.browse(p, t, self.pick([0, 1, 2, 3], [15, 35, 30, 20]))
            t, value = self.cart(p, t, self.cart_items())
            r = rng.random()
            delay = (rng.randrange(30 * SEC, 30 * MIN) if r < 0.6 else
                     rng.randrange(30 * MIN, 6 * HOUR) if r < 0.9 else
                     rng.randrange(6 * HOUR, 23 * HOUR))
            t += delay
            if self.purchase(p, t, value) is None:
                return

    def run_replenisher(self, p):
        rng = self.rng
        t = p.first_ts + rng.randrange(5 * SEC, 10 * MIN)
        if rng.random() < 0.7:
            cat = rng.choice(CONSUMABLES)
            t = self.browse(p, t, self.pick([0, 1, 2], [40, 40, 20]), cat)
            t, value = self.cart(p, t, self.pick([1, 2], [70, 30]), cat=cat)
            t += rng.randrange(1 * MIN, 90 * MIN)
            if self.purchase(p, t, value, refund_p=0.06) is None:
                return
            if rng.random() < 0.2:  # restocks on time: leaves the window again
                t += self.session_gap(24 * 24, 34 * 24)
                t, value = self.cart(p, t, 1, cat=cat)
                self.purchase(p, t + rng.randrange(1 * MIN, 30 * MIN), value, refund_p=0.0)
        if rng.random() < 0.3:
            t = self.rand_time(p.first_ts, self.end)
            self.browse(p, t, self.pick([1, 2], [60, 40]))

    def run_lapsed(self, p):
        rng = self.rng
        t = p.first_ts + rng.randrange(5 * SEC, 10 * MIN)
        r = rng.random()
        if r < 0.2:  # comes back (winback worked)
            t = self.browse(p, t, self.pick([1, 2, 3], [30, 40, 30]))
            t, value = self.cart(p, t, self.cart_items())
            self.purchase(p, t + rng.randrange(1 * MIN, 3 * HOUR), value)
        elif r < 0.6:
            self.ignored(p, t)
            if rng.random() < 0.3:
                self.view(p, t + rng.randrange(10 * SEC, 5 * MIN), self.product())

    def run_casual(self, p):
        rng = self.rng
        t = p.first_ts + rng.randrange(5 * SEC, 10 * MIN)
        for _ in range(self.pick([0, 1, 2, 3], [25, 40, 25, 10])):
            if self.ignored(p, t) is None:
                return
            t += rng.randrange(10 * SEC, 20 * MIN)
        if rng.random() < 0.3:
            self.view(p, t, self.product())

    def filler_session(self, p):
        """Background traffic that fills the line budget."""
        rng = self.rng
        if p.first_ts + MIN >= self.end:
            return
        t = self.rand_time(p.first_ts + MIN, self.end)
        r = rng.random()
        if r < 0.4:
            for _ in range(rng.randrange(1, 4)):
                if self.ignored(p, t) is None:
                    return
                t += rng.randrange(5 * SEC, 10 * MIN)
        elif r < 0.92:
            if rng.random() < 0.5:
                self.ignored(p, t)
                t += rng.randrange(5 * SEC, 2 * MIN)
            self.browse(p, t, self.pick([1, 2, 3], [45, 35, 20]))
        else:  # a cart left behind
            self.cart(p, self.browse(p, t, self.pick([1, 2], [60, 40])), self.cart_items())

    # --- the stream -------------------------------------------------------------------

    def generate(self):
        rng = self.rng
        profiles = []
        for idx in range(self.n_profiles):
            arche = self.pick(ARCHETYPES, ARCHETYPE_WEIGHT)
            self.arche_count[arche] += 1
            p = self.new_profile(idx, arche)
            profiles.append(p)
            self.first_identify(p)
            getattr(self, "run_" + arche)(p)
            self.later_identifies(p)
        core = len(self.recs)
        # Fill or trim to exactly `target` valid lines; first identifies always stay.
        while len(self.recs) < self.target:
            self.filler_session(profiles[rng.randrange(len(profiles))])
        if len(self.recs) > self.target:
            extra = len(self.recs) - self.target
            droppable = [i for i, r in enumerate(self.recs) if not r[4]]
            drop = bytearray(len(self.recs))
            for i in rng.sample(droppable, extra):
                drop[i] = 1
            self.recs = [r for i, r in enumerate(self.recs) if not drop[i]]
        self.core = core

        # Arrival order: by timestamp, ties by generation order, except ~0.5% of the
        # records, which arrive 2 minutes to 6 hours after their own timestamp.
        keyed = []
        late_pool = [i for i, r in enumerate(self.recs) if not r[4]]
        n_late = round(0.005 * len(self.recs))
        late = set(rng.sample(late_pool, min(n_late, len(late_pool))))
        for i, r in enumerate(self.recs):
            arrival = r[0]
            if i in late:
                arrival += int(math.exp(rng.uniform(math.log(2 * MIN), math.log(6 * HOUR))))
            keyed.append((arrival, r[1], i))
        keyed.sort()
        return [self.recs[i] for _, _, i in keyed]

    def malformed_line(self, kind, prev):
        """A bad line modelled on the previous good one (prev: its JSON text)."""
        rng = self.rng
        base = json.loads(prev) if prev else {"type": "identify", "userId": "u%0*d" % (self.width, 1),
                                              "timestamp": fmt_time(self.start), "traits": {}}
        ids = {k: base[k] for k in ("userId", "anonymousId") if k in base and base[k]}
        if not ids:
            ids = {"userId": "u%0*d" % (self.width, rng.randrange(self.n_profiles) + 1)}
        ts = base.get("timestamp", fmt_time(self.start))
        if kind == "truncated_json":
            text = prev or dumps(base)
            return text[:rng.randrange(8, len(text) - 1)]
        if kind == "non_object_json":
            return rng.choice(["[" + dumps(base) + "]", '"identify"', "42", "null", "true", "[]"])
        if kind == "missing_timestamp":
            obj = dict(base)
            del obj["timestamp"]
            return dumps(obj)
        if kind == "bare_date_timestamp":
            obj = dict(base)
            obj["timestamp"] = ts[:10]
            return dumps(obj)
        if kind == "numeric_timestamp":
            obj = dict(base)
            obj["timestamp"] = parse_time(ts) // SEC * (SEC if rng.random() < 0.5 else 1)
            return dumps(obj)
        if kind == "missing_key":
            obj = {k: v for k, v in base.items() if k not in ("userId", "anonymousId")}
            if rng.random() < 0.3:
                obj = dict([("type", obj["type"]), ("userId", rng.choice(["", None]))]
                           + [(k, v) for k, v in obj.items() if k != "type"])
            return dumps(obj)
        if kind == "ltv_wrong_type":
            return dumps(dict([("type", "identify")] + list(ids.items())
                              + [("timestamp", ts), ("traits", {"ltv": "abc", "orders": 3})]))
        if kind == "orders_not_int":
            return dumps(dict([("type", "identify")] + list(ids.items())
                              + [("timestamp", ts), ("traits", {"orders": 2.5})]))
        if kind == "traits_not_object":
            return dumps(dict([("type", "identify")] + list(ids.items())
                              + [("timestamp", ts), ("traits", "email=someone@example.com")]))
        if kind == "track_without_event":
            return dumps(dict([("type", "track")] + list(ids.items())
                              + [("timestamp", ts), ("properties", {"cart_value": 120, "sku": "SH-1007"})]))
        if kind == "nan_number":
            return dumps(dict([("type", "track")] + list(ids.items())
                              + [("event", "added_to_cart"), ("timestamp", ts),
                                 ("properties", {"cart_value": float("nan"), "sku": "BG-1014"})]))
        return rng.choice(["", "", "   ", "\t"])  # blank

    def write(self, out):
        rng = self.rng
        recs = self.generate()
        n = len(recs)
        kinds = [MALFORMED_KINDS[i % len(MALFORMED_KINDS)] for i in range(self.n_malformed)]
        rng.shuffle(kinds)
        slots = sorted(rng.randrange(n + 1) for _ in range(self.n_malformed))
        counts = {}
        late = 0
        late_lag_max = 0
        equal = 0
        watermark = None
        lines = []
        j = 0
        prev = None
        for i in range(n + 1):
            while j < len(slots) and slots[j] == i:
                kind = kinds[j]
                lines.append(self.malformed_line(kind, prev))
                key = "blank" if kind == "blank" else "malformed." + kind
                counts[key] = counts.get(key, 0) + 1
                j += 1
            if i == n:
                break
            ts, _, line, kind, _, _ = recs[i]
            lines.append(line)
            prev = line
            counts[kind] = counts.get(kind, 0) + 1
            if watermark is not None and ts < watermark:
                late += 1
                late_lag_max = max(late_lag_max, watermark - ts)
            elif ts == watermark:
                equal += 1
            if watermark is None or ts > watermark:
                watermark = ts
        out.write("\n".join(lines))
        out.write("\n")
        order = ["identify", "track:viewed_product", "track:added_to_cart", "track:purchased",
                 "track:purchased(refund)", "track:undeclared", "page", "screen"]
        parts = ["lines=%d" % len(lines), "profiles=%d" % self.n_profiles]
        parts += ["%s=%d" % (k, counts.get(k, 0)) for k in order]
        parts.append("late=%d(max %.1fh)" % (late, late_lag_max / HOUR))
        parts.append("equal_ts=%d" % equal)
        parts.append("malformed=%d" % sum(v for k, v in counts.items() if k.startswith("malformed.")))
        parts.append("blank=%d" % counts.get("blank", 0))
        parts += ["%s=%d" % (k, counts[k]) for k in sorted(counts) if k.startswith("malformed.")]
        parts += ["arch.%s=%d" % (a, self.arche_count[a]) for a in ARCHETYPES]
        parts += ["%s=%d" % (k, v) for k, v in self.scenario.items()]
        parts.append("core=%d filler=%d" % (min(self.core, self.target), max(0, self.target - self.core)))
        parts.append("window=%s..%s" % (fmt_time(self.start), fmt_time(self.end)))
        sys.stderr.write("generate_stream: " + " ".join(parts) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--profiles", type=int, default=20000)
    ap.add_argument("--events", type=int, default=200000,
                    help="total lines written, identifies, ignored and malformed included")
    ap.add_argument("--start", default="2026-03-01T00:00:00Z")
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--malformed", type=int, default=25)
    args = ap.parse_args()
    if args.profiles < 1 or args.days < 1 or args.malformed < 0:
        ap.error("--profiles and --days must be positive, --malformed not negative")
    if args.events < args.profiles + args.malformed:
        ap.error("--events must be at least --profiles + --malformed "
                 "(every profile starts with an identify)")
    Generator(args).write(sys.stdout)


if __name__ == "__main__":
    main()
