#!/usr/bin/env python3
"""Tampering with .segb files for the signing tests (format in docs/bundles.md).

  segb.py sections FILE                  one line per section: kind, body offset, length
  segb.py flip FILE OUT KIND AT [--keep-digest]
                                         OUT: FILE with the byte at AT inside section KIND's
                                         body flipped; the closing digest recomputed unless
                                         --keep-digest (then the digest check catches it)
  segb.py swap-manifest A B OUT          OUT: B with A's manifest section (B's signature,
                                         if any, kept), digest recomputed
  segb.py unsign FILE OUT                OUT: FILE without its signature section (count
                                         decremented), digest recomputed

Every output but --keep-digest is a well-formed bundle: only a signature can refuse it.
"""
import hashlib
import struct
import sys

MAGIC = b"SEGBNDL\0"


def parse(data):
    if not data.startswith(MAGIC):
        sys.exit("segb.py: not a bundle")
    version, count = struct.unpack_from("<II", data, 8)
    at, sections = 16, []
    for _ in range(count):
        kind, length = struct.unpack_from("<IQ", data, at)
        sections.append([kind, data[at + 12:at + 12 + length], at + 12])
        at += 12 + length
    if at != len(data) - 32:
        sys.exit("segb.py: trailing bytes or bad lengths")
    return version, sections


def build(version, sections):
    out = bytearray(MAGIC + struct.pack("<II", version, len(sections)))
    for kind, body, _ in sections:
        out += struct.pack("<IQ", kind, len(body)) + body
    return bytes(out) + hashlib.sha256(out).digest()


def main(argv):
    cmd = argv[1]
    if cmd == "sections":
        _, sections = parse(open(argv[2], "rb").read())
        for kind, body, at in sections:
            print(kind, at, len(body))
    elif cmd == "flip":
        data = bytearray(open(argv[2], "rb").read())
        _, sections = parse(bytes(data))
        kind, at = int(argv[4]), int(argv[5])
        body_at = next(s[2] for s in sections if s[0] == kind)
        data[body_at + at] ^= 0x01
        if "--keep-digest" in argv:
            out = bytes(data)
        else:
            out = bytes(data[:-32]) + hashlib.sha256(bytes(data[:-32])).digest()
        open(argv[3], "wb").write(out)
    elif cmd == "swap-manifest":
        _, a = parse(open(argv[2], "rb").read())
        version, b = parse(open(argv[3], "rb").read())
        manifest = next(s for s in a if s[0] == 1)
        b = [manifest if s[0] == 1 else s for s in b]
        open(argv[4], "wb").write(build(version, b))
    elif cmd == "unsign":
        version, sections = parse(open(argv[2], "rb").read())
        open(argv[3], "wb").write(build(version, [s for s in sections if s[0] != 5]))
    else:
        sys.exit(f"segb.py: unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
