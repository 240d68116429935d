#!/usr/bin/env python3
"""Unit tests of check_directory.py: a journal and a directory dump each, the verdict asserted."""

import base64
import hashlib
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_directory as cd  # noqa: E402

PEOPLE = "ou=People,dc=example,dc=org"
GROUPS = "ou=Groups,dc=example,dc=org"
ROLES = "ou=Roles,dc=example,dc=org"
ARCHIVE = "ou=Archive,dc=example,dc=org"
PLACEHOLDER = "cn=empty-membership-placeholder,dc=example,dc=org"


def ssha(password, salt=b"salt1234"):
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def user(name, base=PEOPLE, password="pw1", user_type=None, locked=False, pending=False,
         title="t1", display=None, member_of=(), end_mark=False):
    lines = [f"dn: uid={name},{base}", "objectClass: inetOrgPerson", f"uid: {name}",
             f"displayName: {display or 'Load ' + name}", f"title: {title}"]
    if password:
        lines.append(f"userPassword: {ssha(password)}")
    if user_type:
        lines.append(f"employeeType: {user_type}")
    if locked:
        lines.append("pwdAccountLockedTime: 000001010000Z")
    if end_mark:
        lines.append("pwdEndTime: 20000101000000Z")
    if pending:
        lines.append("scimCreatePending: TRUE")
    lines += [f"memberOf: {g}" for g in member_of]
    return "\n".join(lines)


def group(dn, members):
    return "\n".join([f"dn: {dn}", "objectClass: groupOfNames"] +
                     [f"member: {m}" for m in members])


def entry(op, key, status, effect=None, kind=None, target="/scim/v2/Users/x", response=None):
    e = {"op": op, "kind": kind or ("group" if "group" in op or "member" in op else "user"),
         "key": key, "status": status, "sent": 0, "target": target}
    if effect is not None:
        e["effect"] = effect
    if response is not None:
        e["response"] = json.dumps(response)
    return e


def created(name, password="pw1", user_type=None, active=True, title="t1", status=201):
    return entry("create_user", name, status, {"displayName": "Load " + name, "title": title,
                                               "userType": user_type, "active": active,
                                               "password": password})


def run(journal, *ldif_entries, archive=False):
    args = cd.argparse.Namespace(people_base=PEOPLE, groups_base=GROUPS, roles_base=ROLES,
                                 archive_base=ARCHIVE if archive else "",
                                 placeholder=PLACEHOLDER, prefix="load")
    directory = cd.Directory(cd.parse_ldif("\n\n".join(ldif_entries) + "\n"), args)
    result = cd.check(journal, directory)
    return [v["what"] for v in result["violations"]], result


class UsersAsAcknowledged(unittest.TestCase):
    def test_created_then_patched_user_stored_as_patched_passes(self):
        journal = [created("load1"), entry("patch_user", "load1", 200, {"title": "t2"})]
        violations, _ = run(journal, user("load1", title="t2"))
        self.assertEqual(violations, [])

    def test_acknowledged_patch_missing_from_directory_is_a_violation(self):
        journal = [created("load1"), entry("patch_user", "load1", 200, {"title": "t2"})]
        violations, _ = run(journal, user("load1", title="t1"))
        self.assertEqual(violations, ["user not in a state its journal explains"])

    def test_failed_patch_may_be_done_or_not(self):
        journal = [created("load1"), entry("patch_user", "load1", 503, {"title": "t2"})]
        self.assertEqual(run(journal, user("load1", title="t1"))[0], [])
        self.assertEqual(run(journal, user("load1", title="t2"))[0], [])

    def test_failed_patch_half_done_is_a_violation(self):
        journal = [created("load1"),
                   entry("patch_user", "load1", 503, {"title": "t2", "displayName": "D"})]
        violations, _ = run(journal, user("load1", title="t2"))
        self.assertEqual(violations, ["user not in a state its journal explains"])

    def test_password_is_checked_against_the_acknowledged_one(self):
        journal = [created("load1"), entry("patch_user", "load1", 200, {"password": "pw2"})]
        self.assertEqual(run(journal, user("load1", password="pw2"))[0], [])
        self.assertEqual(run(journal, user("load1", password="pw1"))[0],
                         ["user not in a state its journal explains"])

    def test_end_mark_without_the_lock_is_still_inactive(self):
        # A password change cut before the re-lock: ppolicy took the lock, the mark stays.
        journal = [created("load1"), entry("patch_user", "load1", 200, {"active": False})]
        self.assertEqual(run(journal, user("load1", end_mark=True))[0], [])
        self.assertEqual(run(journal, user("load1"))[0],
                         ["user not in a state its journal explains"])

    def test_failed_create_left_behind_is_a_violation_only_when_a_lookup_said_absent(self):
        journal = [created("load1", status=503),
                   entry("lookup_user", "load1", 200, target="/scim/v2/Users?filter=x",
                         response={"totalResults": 0})]
        violations, _ = run(journal, user("load1"))
        self.assertEqual(violations, ["user not in a state its journal explains"])

    def test_acknowledged_delete_with_user_still_there_is_a_violation(self):
        journal = [created("load1"), entry("delete_user", "load1", 204)]
        self.assertEqual(run(journal)[0], [])
        self.assertEqual(run(journal, user("load1"))[0],
                         ["user not in a state its journal explains"])

    def test_answer_no_outcome_explains_is_a_violation(self):
        journal = [created("load1"), entry("get_user", "load1", 404)]
        violations, _ = run(journal)
        self.assertIn("answer not explained by the earlier outcomes", violations)


class NothingHalfWritten(unittest.TestCase):
    def test_user_without_password_is_a_violation(self):
        journal = [created("load1", password=None)]
        violations, _ = run(journal, user("load1", password=None))
        self.assertEqual(violations, ["user without its password"])

    def test_user_type_without_its_role_group_is_a_violation(self):
        journal = [created("load1", user_type="staff")]
        violations, _ = run(journal, user("load1", user_type="staff"),
                            group(f"cn=staff,{ROLES}", [PLACEHOLDER]))
        self.assertEqual(violations, ["role groups differ from userType"])

    def test_user_type_with_its_role_group_passes(self):
        journal = [created("load1", user_type="staff")]
        dn = f"uid=load1,{PEOPLE}"
        violations, _ = run(journal, user("load1", user_type="staff",
                                          member_of=[f"cn=staff,{ROLES}"]),
                            group(f"cn=staff,{ROLES}", [dn]))
        self.assertEqual(violations, [])

    def test_member_without_member_of_is_a_violation(self):
        journal = [created("load1", user_type="staff")]
        dn = f"uid=load1,{PEOPLE}"
        violations, _ = run(journal, user("load1", user_type="staff"),
                            group(f"cn=staff,{ROLES}", [dn]))
        self.assertEqual(violations, ["memberOf differs from the groups' member values"])

    def test_pending_entry_after_an_answered_create_is_a_violation(self):
        journal = [created("load1", status=503), created("load1", status=201)]
        violations, _ = run(journal, user("load1", pending=True, locked=True))
        self.assertIn("scimCreatePending left after the create was answered", violations)

    def test_pending_entry_whose_create_never_succeeded_is_a_note(self):
        journal = [created("load1", status=503)]
        violations, result = run(journal, user("load1", pending=True, locked=True))
        self.assertEqual(violations, [])
        self.assertEqual([n["what"] for n in result["notes"]],
                         ["pending create its client never completed"])

    def test_archived_entry_in_a_role_group_is_a_violation(self):
        journal = [created("load1", user_type="staff"), entry("delete_user", "load1", 204)]
        dn = f"uid=load1,{ARCHIVE}"
        violations, _ = run(journal, user("load1", base=ARCHIVE, user_type="staff", locked=True,
                                          member_of=[f"cn=staff,{ROLES}"]),
                            group(f"cn=staff,{ROLES}", [dn]), archive=True)
        self.assertEqual(violations, ["archived entry still in role groups"])

    def test_group_without_members_is_a_violation(self):
        violations, _ = run([], group(f"cn=loadg,{GROUPS}", []))
        self.assertEqual(violations, ["group without any member (placeholder missing)"])


class GroupsAsAcknowledged(unittest.TestCase):
    def setUp(self):
        self.users = [created("load1"), created("load2")]
        self.member_of = [f"cn=loadg,{GROUPS}"]

    def test_acknowledged_member_add_present_passes(self):
        journal = self.users + [entry("create_group", "loadg", 201, {"members": ["load1"]}),
                                entry("add_member", "loadg", 200, {"add": ["load2"]})]
        violations, _ = run(journal, user("load1", member_of=self.member_of),
                            user("load2", member_of=self.member_of),
                            group(f"cn=loadg,{GROUPS}",
                                  [f"uid=load1,{PEOPLE}", f"uid=load2,{PEOPLE}"]))
        self.assertEqual(violations, [])

    def test_acknowledged_member_remove_still_present_is_a_violation(self):
        journal = self.users + [entry("create_group", "loadg", 201, {"members": ["load1"]}),
                                entry("remove_member", "loadg", 204, {"remove": ["load1"]})]
        violations, _ = run(journal, user("load1", member_of=self.member_of), user("load2"),
                            group(f"cn=loadg,{GROUPS}", [f"uid=load1,{PEOPLE}"]))
        self.assertEqual(violations, ["group not in a state its journal explains"])

    def test_deleted_member_leaves_the_group(self):
        journal = self.users + [entry("create_group", "loadg", 201, {"members": ["load1"]}),
                                entry("delete_user", "load1", 204)]
        violations, _ = run(journal, user("load2"), group(f"cn=loadg,{GROUPS}", [PLACEHOLDER]))
        self.assertEqual(violations, [])


class Parsing(unittest.TestCase):
    def test_base64_values_and_dns_are_decoded(self):
        text = "dn:: " + base64.b64encode(b"uid=a,ou=People,dc=x").decode() + \
            "\ntitle:: " + base64.b64encode("Ü".encode()).decode() + "\n"
        self.assertEqual(cd.parse_ldif(text), {"uid=a,ou=people,dc=x": {"title": ["Ü"]}})

    def test_ssha_matches_only_its_password(self):
        self.assertTrue(cd.password_matches(ssha("secret"), "secret"))
        self.assertFalse(cd.password_matches(ssha("secret"), "other"))


if __name__ == "__main__":
    unittest.main()
