#!/usr/bin/env python3
"""Compares the directory after a mixed_load run with what the bridge acknowledged (issue 13,
point 2): every resource is in a state its journal explains — the last acknowledged state, with
each later failed request (5xx or no answer) either fully done or not at all — and nothing is
half-written (a user without its password or role group, a group without a member, a pending
create left after a completed retry, an archived entry still in a role group).

    check_directory.py --journal J --ldif DUMP [--prefix P] [bases...]

DUMP is `ldapsearch -LLL -o ldif-wrap=no ... '*' '+'` of the whole suffix as the rootdn (so
userPassword is readable). Prints a JSON summary; exit 1 when anything is violated."""

import argparse
import base64
import hashlib
import json
import sys
from collections import defaultdict

ABSENT = (False, None, None, None, None, None)  # exists, displayName, title, userType, active, pw
FIELDS = ("displayName", "title", "userType", "active", "password")


def norm_dn(dn):
    return ",".join(part.strip() for part in dn.split(",")).lower()


def parse_ldif(text):
    """dn -> {attribute (lowercase) -> [values]} (dns normalised)."""
    entries = {}
    dn, attrs = None, None
    for line in text.splitlines() + [""]:
        if not line:
            if dn is not None:
                entries[norm_dn(dn)] = attrs
            dn, attrs = None, None
            continue
        if line.startswith("#") or ":" not in line:
            continue
        name, _, value = line.partition(":")
        if value.startswith(":"):
            value = base64.b64decode(value[1:].strip()).decode("utf-8", "replace")
        else:
            value = value[1:] if value.startswith(" ") else value
        if name.lower() == "dn":
            dn, attrs = value, defaultdict(list)
        elif attrs is not None:
            attrs[name.lower()].append(value)
    return entries


def password_matches(stored, password):
    """{SSHA} (what slapd's ppolicy_hash_cleartext writes) or cleartext."""
    if stored.upper().startswith("{SSHA}"):
        raw = base64.b64decode(stored[6:])
        digest, salt = raw[:20], raw[20:]
        return hashlib.sha1(password.encode() + salt).digest() == digest
    return stored == password


# --- the model: what a journal allows -------------------------------------------------------

def user_state(exists, fields):
    return (exists,) + tuple(fields.get(f) for f in FIELDS)


def apply_user(op, effect, state):
    exists = state[0]
    fields = dict(zip(FIELDS, state[1:]))
    if op == "create_user":
        return state if exists else user_state(True, effect)
    if op in ("patch_user", "put_user"):
        if not exists:
            return state
        fields.update(effect)
        return user_state(True, fields)
    if op == "delete_user":
        return ABSENT
    return state


def apply_group(op, effect, state):
    exists, members = state
    if op == "create_group":
        return state if exists else (True, frozenset(effect.get("members", [])))
    if not exists:
        return state
    if op == "add_member":
        return (True, members | frozenset(effect["add"]))
    if op == "remove_member":
        return (True, members - frozenset(effect["remove"]))
    return state


def lookup_count(entry):
    try:
        return json.loads(entry.get("response") or "{}").get("totalResults")
    except ValueError:
        return None


def narrow(entry, op, status):
    """What a definitive answer says about the resource's existence before the request:
    True/False, or None when it says nothing."""
    if op == "create_user" or op == "create_group":
        return {201: False, 409: True}.get(status)
    if op in ("lookup_user", "lookup_group") or (op == "get_user" and "?filter=" in
                                                  entry["target"]):
        if status == 200:
            count = lookup_count(entry)
            return None if count is None else count > 0
        return None
    if status // 100 == 2:
        return True
    if status == 404:
        return False
    return None


def replay(entries, apply, initial, violations):
    """The set of states the resource may be in after its journal entries."""
    states = {initial}
    for e in entries:
        op, status = e["op"], e["status"]
        effect = e.get("effect") or {}
        failed = status == 0 or status >= 500
        if failed:
            states |= {apply(op, effect, s) for s in states}
            continue
        existed = narrow(e, op, status)
        if existed is not None:
            kept = {s for s in states if s[0] == existed}
            if not kept:
                violations.append({
                    "what": "answer not explained by the earlier outcomes",
                    "key": e["key"], "op": op, "status": status, "sent": e["sent"],
                    "possible_before": sorted(str(s[0]) for s in states)})
                kept = {(existed,) + s[1:] for s in states}
            states = kept
        if status // 100 == 2:
            states = {apply(op, effect, s) for s in states}
    return states


# --- the directory --------------------------------------------------------------------------

class Directory:
    def __init__(self, entries, args):
        self.entries = entries
        self.people = norm_dn(args.people_base)
        self.groups = norm_dn(args.groups_base)
        self.roles = norm_dn(args.roles_base)
        self.archive = norm_dn(args.archive_base) if args.archive_base else None
        self.placeholder = norm_dn(args.placeholder)
        self.prefix = args.prefix.lower()

    def under(self, dn, base):
        return base is not None and dn.endswith("," + base)

    def rdn_value(self, dn):
        return dn.split(",", 1)[0].split("=", 1)[1]

    def ours(self, dn):
        return self.rdn_value(dn).startswith(self.prefix)

    def user_dn(self, name):
        return f"uid={name.lower()},{self.people}"

    def group_dns(self):
        return [dn for dn, a in self.entries.items()
                if (self.under(dn, self.groups) or self.under(dn, self.roles))
                and "groupofnames" in (v.lower() for v in a.get("objectclass", []))]

    def user_state(self, name):
        attrs = self.entries.get(self.user_dn(name))
        if attrs is None or attrs.get("scimcreatepending"):
            return None  # absent, or hidden (pending) — SCIM does not see it
        return attrs


def first(attrs, name):
    values = attrs.get(name, [])
    return values[0] if values else None


# The bridge's end-time mark beside the lock (docs/users.md): a password change deletes the lock,
# not the mark, so either one makes the account inactive.
END_MARK = "20000101000000Z"


def inactive(attrs):
    return bool(attrs.get("pwdaccountlockedtime")) or END_MARK in attrs.get("pwdendtime", [])


def matches(attrs, state):
    if attrs is None:
        return not state[0]
    if not state[0]:
        return False
    _, display, title, user_type, active, password = state
    if first(attrs, "displayname") != display or first(attrs, "title") != title:
        return False
    if first(attrs, "employeetype") != user_type:
        return False
    if inactive(attrs) == bool(active):
        return False
    if password is not None:
        return any(password_matches(v, password) for v in attrs.get("userpassword", []))
    return True


def describe(attrs):
    if attrs is None:
        return "absent"
    return {k: attrs.get(k) for k in ("displayname", "title", "employeetype",
                                      "pwdaccountlockedtime", "pwdendtime", "memberof")}


def check(journal_lines, directory):
    violations, notes = [], []
    by_key = defaultdict(list)
    for e in journal_lines:
        if e.get("kind") in ("user", "group"):
            by_key[(e["kind"], e["key"])].append(e)

    users = {k: v for (kind, k), v in by_key.items() if kind == "user"}
    groups = {k: v for (kind, k), v in by_key.items() if kind == "group"}
    present = {}  # userName -> True / False / None (uncertain)
    uncertain = 0
    for name, entries in users.items():
        states = replay(entries, apply_user, ABSENT, violations)
        uncertain += len(states) > 1
        attrs = directory.user_state(name)
        if not any(matches(attrs, s) for s in states):
            violations.append({"what": "user not in a state its journal explains", "key": name,
                               "directory": describe(attrs),
                               "allowed": [dict(zip(("exists",) + FIELDS, s)) for s in states]})
        exists = {s[0] for s in states}
        present[name.lower()] = exists.pop() if len(exists) == 1 else None
        pending = directory.entries.get(directory.user_dn(name), {}).get("scimcreatepending")
        if pending:
            creates = [e for e in entries if e["op"] == "create_user"]
            last = creates[-1]["status"] if creates else None
            if last is not None and (last == 0 or last >= 500):
                notes.append({"what": "pending create its client never completed", "key": name})
            else:
                violations.append({"what": "scimCreatePending left after the create was "
                                           "answered", "key": name, "last_status": last})

    for name, entries in groups.items():
        states = replay(entries, apply_group, (False, frozenset()), violations)
        uncertain += len(states) > 1
        dn = f"cn={name.lower()},{directory.groups}"
        attrs = directory.entries.get(dn)
        actual = None
        if attrs is not None:
            actual = frozenset(
                directory.rdn_value(m) for m in map(norm_dn, attrs.get("member", []))
                if directory.under(m, directory.people) and present.get(directory.rdn_value(m)))
        explained = False
        for exists, members in states:
            if not exists:
                explained |= actual is None
                continue
            certain = frozenset(m.lower() for m in members if present.get(m.lower()))
            if actual is not None and actual == certain:
                explained = True
        if not explained:
            violations.append({"what": "group not in a state its journal explains", "key": name,
                               "directory_members": sorted(actual) if actual is not None
                               else "absent",
                               "allowed": [sorted(m) if e else "absent" for e, m in states]})

    violations += invariants(directory)
    return {"users": len(users), "groups": len(groups), "uncertain_outcomes": uncertain,
            "violations": violations, "notes": notes}


def invariants(d):
    """What must hold of every entry, whatever the journal says."""
    out = []
    members_of = defaultdict(set)  # member dn -> groups naming it
    for gdn in d.group_dns():
        members = [norm_dn(m) for m in d.entries[gdn].get("member", [])]
        if not members:
            out.append({"what": "group without any member (placeholder missing)", "dn": gdn})
        for m in members:
            members_of[m].add(gdn)
            if m != d.placeholder and m not in d.entries:
                out.append({"what": "member that names no entry", "group": gdn, "member": m})
    for dn, attrs in d.entries.items():
        if not dn.startswith("uid=") or not d.ours(dn):
            continue
        member_of = {norm_dn(g) for g in attrs.get("memberof", [])}
        roles = {g for g in members_of[dn] if d.under(g, d.roles)}
        if d.under(dn, d.people) and not attrs.get("scimcreatepending"):
            if not attrs.get("userpassword"):
                out.append({"what": "user without its password", "dn": dn})
            user_type = first(attrs, "employeetype")
            want = {f"cn={user_type.lower()},{d.roles}"} if user_type else set()
            if roles != want:
                out.append({"what": "role groups differ from userType", "dn": dn,
                            "userType": user_type, "role_groups": sorted(roles)})
        if d.archive and d.under(dn, d.archive):
            if roles:
                out.append({"what": "archived entry still in role groups", "dn": dn,
                            "role_groups": sorted(roles)})
            if not inactive(attrs):
                out.append({"what": "archived entry not locked", "dn": dn})
        if member_of != members_of[dn]:
            out.append({"what": "memberOf differs from the groups' member values", "dn": dn,
                        "memberOf": sorted(member_of), "member_of_groups": sorted(members_of[dn])})
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--journal", required=True)
    p.add_argument("--ldif", required=True)
    p.add_argument("--prefix", default="load")
    p.add_argument("--people-base", default="ou=People,dc=example,dc=org")
    p.add_argument("--groups-base", default="ou=Groups,dc=example,dc=org")
    p.add_argument("--roles-base", default="ou=Roles,dc=example,dc=org")
    p.add_argument("--archive-base", default="")
    p.add_argument("--placeholder", default="cn=empty-membership-placeholder,dc=example,dc=org")
    p.add_argument("--show", type=int, default=20, help="violations printed in full")
    args = p.parse_args(argv)
    with open(args.journal) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    with open(args.ldif) as f:
        directory = Directory(parse_ldif(f.read()), args)
    result = check(lines, directory)
    shown = dict(result, violations=result["violations"][:args.show],
                 violation_count=len(result["violations"]),
                 violation_kinds=dict(sorted(
                     ((k, sum(1 for v in result["violations"] if v["what"] == k))
                      for k in {v["what"] for v in result["violations"]}))),
                 notes=result["notes"][:args.show], note_count=len(result["notes"]))
    print(json.dumps(shown, indent=1, default=str))
    return 1 if result["violations"] else 0


if __name__ == "__main__":
    sys.exit(main())
