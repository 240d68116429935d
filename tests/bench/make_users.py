#!/usr/bin/env python3
"""Writes N benchmark users as LDIF for slapadd: uid=user0 .. user{N-1} below a People OU.

Each is an inetOrgPerson + scimBridgeObject as the bridge would provision it. slapadd adds the
operational attributes (entryUUID, entryCSN, timestamps); no passwords, so loading stays fast.
"""
import argparse
import sys

GIVEN = ["Ada", "Ben", "Chloe", "Dan", "Eva", "Farid", "Grace", "Hugo", "Ines", "Jon"]
FAMILY = ["Martin", "Dupont", "Nguyen", "Smith", "Garcia", "Kowalski", "Rossi", "Okafor"]


def entry(k: int, base: str) -> str:
    given = GIVEN[k % len(GIVEN)]
    family = f"{FAMILY[k % len(FAMILY)]}{k}"
    return (
        f"dn: uid=user{k},{base}\n"
        "objectClass: inetOrgPerson\n"
        "objectClass: scimBridgeObject\n"
        f"uid: user{k}\n"
        f"cn: {given} {family}\n"
        f"sn: {family}\n"
        f"givenName: {given}\n"
        f"displayName: {given} {family}\n"
        f"mail: user{k}@example.org\n"
        "employeeType: Employee\n"
        f"scimExternalId: ext-{k:08d}\n"
        "\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100000)
    parser.add_argument("--base", default="ou=People,dc=example,dc=org")
    parser.add_argument("--output", default="-", help="file (default: stdout)")
    args = parser.parse_args()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    with out:
        batch = []
        for k in range(args.users):
            batch.append(entry(k, args.base))
            if len(batch) == 10000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
