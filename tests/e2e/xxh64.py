#!/usr/bin/env python3
"""Pure-Python XXH64 (seed 0 by default), used to derive holdout buckets for the
hand-written e2e expectations (tests/e2e/cases/holdout_split).

    python3 xxh64.py TEXT...            -> hex digest of each TEXT (UTF-8)
    python3 xxh64.py --bucket SALT ID   -> xxh64(SALT + ":" + ID) mod 10000

Self-check: `python3 xxh64.py --selftest` (the published vectors
xxh64("") = ef46db3751d8e999 and xxh64("a") = d24ec4f1a98c6e5b).
"""
import struct
import sys

P1 = 0x9E3779B185EBCA87
P2 = 0xC2B2AE3D27D4EB4F
P3 = 0x165667B19E3779F9
P4 = 0x85EBCA77C2B2AE63
P5 = 0x27D4EB2F165667C5
M = (1 << 64) - 1


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M


def _round(acc, lane):
    acc = (acc + lane * P2) & M
    acc = _rotl(acc, 31)
    return (acc * P1) & M


def _merge(acc, val):
    acc ^= _round(0, val)
    return (acc * P1 + P4) & M


def xxh64(data: bytes, seed: int = 0) -> int:
    n = len(data)
    i = 0
    if n >= 32:
        v1 = (seed + P1 + P2) & M
        v2 = (seed + P2) & M
        v3 = seed & M
        v4 = (seed - P1) & M
        while i + 32 <= n:
            a, b, c, d = struct.unpack_from("<4Q", data, i)
            v1 = _round(v1, a)
            v2 = _round(v2, b)
            v3 = _round(v3, c)
            v4 = _round(v4, d)
            i += 32
        h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & M
        h = _merge(h, v1)
        h = _merge(h, v2)
        h = _merge(h, v3)
        h = _merge(h, v4)
    else:
        h = (seed + P5) & M
    h = (h + n) & M
    while i + 8 <= n:
        (k,) = struct.unpack_from("<Q", data, i)
        h ^= _round(0, k)
        h = (_rotl(h, 27) * P1 + P4) & M
        i += 8
    if i + 4 <= n:
        (k,) = struct.unpack_from("<I", data, i)
        h ^= (k * P1) & M
        h = (_rotl(h, 23) * P2 + P3) & M
        i += 4
    while i < n:
        h ^= (data[i] * P5) & M
        h = (_rotl(h, 11) * P1) & M
        i += 1
    h ^= h >> 33
    h = (h * P2) & M
    h ^= h >> 29
    h = (h * P3) & M
    h ^= h >> 32
    return h


def bucket(salt: str, ident: str) -> int:
    return xxh64((salt + ":" + ident).encode("utf-8")) % 10000


def _selftest():
    assert xxh64(b"") == 0xEF46DB3751D8E999, hex(xxh64(b""))
    assert xxh64(b"a") == 0xD24EC4F1A98C6E5B, hex(xxh64(b"a"))
    print("ok")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args == ["--selftest"]:
        _selftest()
    elif len(args) == 3 and args[0] == "--bucket":
        print(bucket(args[1], args[2]))
    else:
        for a in args:
            print("%016x" % xxh64(a.encode("utf-8")))
