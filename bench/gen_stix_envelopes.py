#!/usr/bin/env python3
"""TAXII envelopes of STIX 2.1 indicators for bench/exchange, from a fixed seed.

Usage: gen_stix_envelopes.py DIR COUNT PER_ENVELOPE
Writes DIR/envelope-00000.json ... each with PER_ENVELOPE indicator objects
(domains, URLs and IPv4 addresses, TLP:GREEN, ids from the seed), the way a
partner's feed of indicators looks.
"""
import json
import os
import random
import sys
import uuid

GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
TLDS = ["top", "xyz", "club", "online", "site", "shop", "info", "icu"]


def indicator(rng, n):
    label = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(6, 14)))
    domain = f"{label}-{n}.{rng.choice(TLDS)}"
    kind = n % 3
    if kind == 0:
        pattern, name = f"[domain-name:value = '{domain}']", domain
    elif kind == 1:
        url = f"http://{domain}/{label}/login.php"
        pattern, name = f"[url:value = '{url}']", url
    else:
        ip = f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        pattern, name = f"[ipv4-addr:value = '{ip}']", ip
    day = 1 + n % 28
    t = f"2026-11-{day:02d}T{n % 24:02d}:{n % 60:02d}:{(n // 60) % 60:02d}.000Z"
    return {
        "type": "indicator", "spec_version": "2.1",
        "id": "indicator--" + str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "created": t, "modified": t, "name": name, "indicator_types": ["malicious-activity"],
        "pattern": pattern, "pattern_type": "stix", "pattern_version": "2.1", "valid_from": t,
        "confidence": 70, "object_marking_refs": [GREEN],
    }


def main():
    directory, count, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(directory, exist_ok=True)
    rng = random.Random(20261203)
    n = 0
    for e in range((count + per - 1) // per):
        objects = [indicator(rng, n + i) for i in range(min(per, count - n))]
        n += len(objects)
        with open(os.path.join(directory, f"envelope-{e:05d}.json"), "w") as f:
            json.dump({"objects": objects}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
