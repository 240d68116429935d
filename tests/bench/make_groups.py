#!/usr/bin/env python3
"""Writes benchmark groups as LDIF for ldapadd: cn=all-staff holding uid=user0 .. user{N-1}, and
GROUPS-1 department groups splitting the same users, so each user is in exactly two groups.

Added online (not with slapadd) so that slapd's memberof overlay writes every memberOf.
"""
import argparse
import sys


def group(name: str, members, base: str, people: str) -> str:
    out = [f"dn: cn={name},{base}", "objectClass: groupOfNames", f"cn: {name}"]
    out += [f"member: uid=user{k},{people}" for k in members]
    return "\n".join(out) + "\n\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10000)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--base", default="ou=Groups,dc=example,dc=org")
    parser.add_argument("--people", default="ou=People,dc=example,dc=org")
    args = parser.parse_args()
    departments = args.groups - 1
    sys.stdout.write(group("all-staff", range(args.users), args.base, args.people))
    for d in range(departments):
        sys.stdout.write(group(f"department-{d:02d}", range(d, args.users, departments),
                               args.base, args.people))
    return 0


if __name__ == "__main__":
    sys.exit(main())
