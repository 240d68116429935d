// Tenant isolation under attack (issue 13, point 9): with one tenant's token, no read, write,
// filter, /.search, member reference, id guess or path trick reaches the other tenant's
// entries. Table-driven: each named case asserts the HTTP status (RFC 7644 §3.12), that the
// answer names nothing of the other tenant the request did not already name, and that the
// other tenant's LDAP entries (read as the rootdn, every attribute, operational ones included)
// are exactly as before.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/percent_encoding.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr const char* patch_schema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
constexpr const char* user_schema = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* group_schema = "urn:ietf:params:scim:schemas:core:2.0:Group";

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos;
         at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
    return s;
}

/// One tenant's resources the attacks aim at (or start from).
struct tenant_side {
    std::string token;
    std::string user_id;
    std::string group_id;
    std::string user_name;
    std::string group_name;
    std::string user_dn;
    std::vector<std::string> subtrees;  // where its entries live
};

/// One attack: a request with the attacker's token (unless `authorization` says otherwise)
/// naming the victim's resources through placeholders, and what must come back.
/// Placeholders: {VU} {VU_UPPER} {VG} {VN} {VGN} {VDN} the victim's user id, group id, userName,
/// group displayName and user DN; {AU} {AG} {AN} the attacker's own user id, group id and userName.
struct attack {
    std::string name;
    bhttp::verb method;
    std::string target;
    std::string body = {};
    unsigned status = 404;
    std::string scim_type = {};                     // checked when not empty
    std::optional<std::size_t> total = {};          // a ListResponse's totalResults
    std::optional<std::string> authorization = {};  // "" sends none
    std::string filter = {};  // appended as ?filter= (or &filter=), percent-encoded
};

std::string expand(const std::string& text, const tenant_side& attacker,
                   const tenant_side& victim) {
    std::string s = text;
    for (const auto& [key, value] :
         std::vector<std::pair<std::string, std::string>>{{"{VU}", victim.user_id},
                                                          {"{VU_UPPER}", upper(victim.user_id)},
                                                          {"{VG}", victim.group_id},
                                                          {"{VN}", victim.user_name},
                                                          {"{VGN}", victim.group_name},
                                                          {"{VDN}", victim.user_dn},
                                                          {"{AU}", attacker.user_id},
                                                          {"{AG}", attacker.group_id},
                                                          {"{AN}", attacker.user_name}}) {
        s = replace_all(s, key, value);
    }
    return s;
}

std::string patch_body(const std::string& operations) {
    return std::string(R"({"schemas":[")") + patch_schema + R"("],"Operations":)" + operations +
           "}";
}

std::string add_member(const std::string& placeholder) {
    return patch_body(R"([{"op":"add","path":"members","value":[{"value":")" + placeholder +
                      R"("}]}])");
}

std::string search_body(const std::string& filter) {
    return json::serialize(json::object{
        {"schemas", json::array{"urn:ietf:params:scim:api:messages:2.0:SearchRequest"}},
        {"filter", filter}});
}

// The kinds of case, so each table row says only what differs.
attack not_found(std::string name, bhttp::verb method, std::string target, std::string body = {}) {
    return {std::move(name), method, std::move(target), std::move(body)};
}
attack answered(std::string name, bhttp::verb method, std::string target, std::string body,
                unsigned status) {
    return {std::move(name), method, std::move(target), std::move(body), status};
}
/// GET with a filter: 200 and an empty ListResponse.
attack no_match(std::string name, std::string target, std::string filter) {
    return {std::move(name),  bhttp::verb::get, std::move(target), {}, 200, {}, 0, {},
            std::move(filter)};
}
/// POST .search with a filter: 200 and an empty ListResponse.
attack no_search_match(std::string name, std::string target, const std::string& filter) {
    return {std::move(name), bhttp::verb::post, std::move(target), search_body(filter), 200, {}, 0};
}
/// 400 invalidValue: a reference this tenant may not make.
attack invalid_value(std::string name, bhttp::verb method, std::string target, std::string body) {
    return {std::move(name), method, std::move(target), std::move(body), 400, "invalidValue"};
}
attack unauthorized(std::string name, bhttp::verb method, std::string authorization) {
    return {std::move(name),         method, "/scim/v2/Users/{VU}", {}, 401, {}, {},
            std::move(authorization)};
}

class TenantIsolation : public bridge_suite<TenantIsolation> {
protected:
    static void SetUpTestSuite() {
        bridge_suite<TenantIsolation>::SetUpTestSuite();
        ldap_admin admin(*slapd_);
        const std::string suffix = slapd_launcher::suffix;
        def_.token = bridge_fixture::default_token;
        def_.user_name = "iso.alice";
        def_.group_name = "iso-default-group";
        def_.user_dn = "uid=iso.alice,ou=People," + suffix;
        def_.subtrees = {"ou=People," + suffix, "ou=Groups," + suffix, "ou=Roles," + suffix,
                         "ou=Archive," + suffix};
        def_.user_id = create(def_.token, "/scim/v2/Users",
                              R"({"schemas":[")" + std::string(user_schema) +
                                  R"("],"userName":"iso.alice","userType":"Staff",)"
                                  R"("name":{"givenName":"Alice","familyName":"Default"}})");
        def_.group_id = create(def_.token, "/scim/v2/Groups", group(def_.group_name, def_.user_id));

        const std::string classlark = "ou=classlark," + suffix;
        lark_.token = bridge_fixture::classlark_token;
        lark_.user_name = "iso.bob@classlark.test";
        lark_.group_name = "iso-classlark-group";
        lark_.user_dn = "uid=iso.bob@classlark.test,ou=People," + classlark;
        lark_.subtrees = {classlark};
        lark_.user_id = create(lark_.token, "/scim/v2/Users",
                               R"({"schemas":[")" + std::string(user_schema) +
                                   R"("],"userName":"iso.bob@classlark.test","userType":"Staff",)"
                                   R"("name":{"givenName":"Bob","familyName":"Classlark"}})");
        lark_.group_id =
            create(lark_.token, "/scim/v2/Groups", group(lark_.group_name, lark_.user_id));

        // An administrator's cross-tenant edit the bridge never makes: the default tenant's
        // mixed group also holds classlark's user DN. Reads must still not show it.
        mixed_id_ = create(def_.token, "/scim/v2/Groups", group("iso-mixed", def_.user_id));
        admin.apply_ldif("dn: cn=iso-mixed,ou=Groups," + suffix +
                         "\nchangetype: modify\nadd: member\nmember: " + lark_.user_dn + "\n");
    }

    static std::string group(const std::string& name, const std::string& member_id) {
        return R"({"schemas":[")" + std::string(group_schema) + R"("],"displayName":")" + name +
               R"(","members":[{"value":")" + member_id + R"("}]})";
    }

    static std::string create(const std::string& token, const std::string& target,
                              const std::string& body) {
        const auto r = bridge_->request(bhttp::verb::post, target, token, body);
        if (r.status != 201) {
            throw std::runtime_error("set-up " + target + " failed: " + r.body);
        }
        return std::string(r.json().at("id").as_string());
    }

    /// Every entry under the tenant's subtrees with all its attributes, as comparable text.
    static std::map<std::string, std::string> snapshot(const tenant_side& side) {
        ldap_admin admin(*slapd_);
        std::map<std::string, std::string> out;
        for (const auto& base : side.subtrees) {
            for (const auto& e : admin.search(base, "(objectClass=*)", {"*", "+"})) {
                std::vector<std::string> lines;
                for (const auto& a : e.attributes) {
                    auto values = a.values;
                    std::sort(values.begin(), values.end());
                    for (const auto& v : values) {
                        lines.push_back(lower(a.name) + ": " + v);
                    }
                }
                std::sort(lines.begin(), lines.end());
                std::string text;
                for (const auto& l : lines) {
                    text += l + "\n";
                }
                out[lower(e.name.str())] = text;
            }
        }
        return out;
    }

    /// Sends every attack of the table from `attacker` at `victim` and checks each.
    static void run(const std::vector<attack>& table, const tenant_side& attacker,
                    const tenant_side& victim) {
        for (const auto& a : table) {
            SCOPED_TRACE("case: " + a.name);
            const auto before = snapshot(victim);
            std::string target = expand(a.target, attacker, victim);
            if (!a.filter.empty()) {
                target += (target.find('?') == std::string::npos ? "?filter=" : "&filter=") +
                          percent_encode(expand(a.filter, attacker, victim));
            }
            const std::string body = expand(a.body, attacker, victim);
            std::map<std::string, std::string> headers;
            const std::string authorization = a.authorization
                                                  ? expand(*a.authorization, attacker, victim)
                                                  : "Bearer " + attacker.token;
            if (!authorization.empty()) {
                headers["Authorization"] = authorization;
            }
            if (!body.empty()) {
                headers["Content-Type"] = "application/scim+json";
            }
            const auto r = http_request(bridge_->port(), a.method, target, headers, body);

            EXPECT_EQ(r.status, a.status) << a.name << ": " << target << "\n" << r.body;
            if (!a.scim_type.empty()) {
                EXPECT_NE(r.body.find("\"scimType\":\"" + a.scim_type + "\""), std::string::npos)
                    << r.body;
            }
            if (a.total) {
                const json::value answer = r.status == 200 ? r.json() : json::value();
                const auto* o = answer.if_object();
                ASSERT_TRUE(o && o->if_contains("totalResults")) << r.body;
                EXPECT_EQ(o->at("totalResults").to_number<std::size_t>(), *a.total) << r.body;
            }
            expect_nothing_named(r, victim, target + "\n" + body);
            EXPECT_EQ(snapshot(victim), before) << a.name << ": the victim's entries changed";
        }
    }

    /// The answer names none of the victim's ids, names or DNs the request did not name itself.
    static void expect_nothing_named(const http_reply& r, const tenant_side& victim,
                                     const std::string& request) {
        const std::string asked = lower(request + "\n" + percent_decode(percent_decode(request)));
        const std::string answer = lower(r.body);
        for (const auto& secret : {victim.user_id, victim.group_id, victim.user_name,
                                   victim.group_name, victim.user_dn}) {
            if (asked.find(lower(secret)) == std::string::npos) {
                EXPECT_EQ(answer.find(lower(secret)), std::string::npos)
                    << "the answer names " << secret << ": " << r.body;
            }
        }
    }

    static inline tenant_side def_;
    static inline tenant_side lark_;
    static inline std::string mixed_id_;
};

// With the default tenant's token, classlark's user and group by their ids: 404, RFC 7644
// §3.12 (a resource of another tenant does not exist for this client).
TEST_F(TenantIsolation, ReadsAndWritesByTheOtherTenantsIdsAre404AndChangeNothing) {
    using enum bhttp::verb;
    const std::string put_user =
        R"({"schemas":[")" + std::string(user_schema) + R"("],"userName":"{VN}","title":"x"})";
    const std::string put_group = R"({"schemas":[")" + std::string(group_schema) +
                                  R"("],"displayName":"{VGN}","members":[]})";
    run(
        {
            not_found("get user", get, "/scim/v2/Users/{VU}"),
            not_found("get group", get, "/scim/v2/Groups/{VG}"),
            not_found("get user with attributes", get, "/scim/v2/Users/{VU}?attributes=id"),
            not_found("get group id at /Users", get, "/scim/v2/Users/{VG}"),
            not_found("put user", put, "/scim/v2/Users/{VU}", put_user),
            not_found("patch user", patch, "/scim/v2/Users/{VU}",
                      patch_body(R"([{"op":"replace","path":"title","value":"owned"}])")),
            not_found("patch user's userName", patch, "/scim/v2/Users/{VU}",
                      patch_body(R"([{"op":"replace","path":"userName","value":"taken"}])")),
            not_found("delete user", delete_, "/scim/v2/Users/{VU}"),
            not_found("put group emptying it", put, "/scim/v2/Groups/{VG}", put_group),
            not_found("patch group adding the attacker", patch, "/scim/v2/Groups/{VG}",
                      add_member("{AU}")),
            not_found("patch group removing its member", patch, "/scim/v2/Groups/{VG}",
                      patch_body(R"([{"op":"remove","path":"members[value eq \"{VU}\"]"}])")),
            not_found("delete group", delete_, "/scim/v2/Groups/{VG}"),
            not_found("guessed nil uuid", get,
                      "/scim/v2/Users/00000000-0000-0000-0000-000000000000"),
        },
        def_, lark_);
}

TEST_F(TenantIsolation, FiltersAndSearchesNeverMatchTheOtherTenant) {
    using enum bhttp::verb;
    const std::string all =
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]})";
    run(
        {
            no_match("filter id eq", "/scim/v2/Users", R"(id eq "{VU}")"),
            no_match("filter userName eq", "/scim/v2/Users", R"(userName eq "{VN}")"),
            no_match("filter userName sw", "/scim/v2/Users", R"(userName sw "iso.bob")"),
            no_match("filter with an LDAP injection", "/scim/v2/Users",
                     R"(userName eq "{VN})(objectClass=*")"),
            no_match("filter group id eq", "/scim/v2/Groups", R"(id eq "{VG}")"),
            no_match("filter displayName eq", "/scim/v2/Groups", R"(displayName eq "{VGN}")"),
            // The mixed group holds the victim's DN (an admin's edit): still no match by its id.
            no_match("filter members.value eq", "/scim/v2/Groups", R"(members.value eq "{VU}")"),
            no_match("filter members.value eq a DN", "/scim/v2/Groups",
                     R"(members.value eq "{VDN}")"),
            no_match("filter groups.value eq", "/scim/v2/Users", R"(groups.value eq "{VG}")"),
            no_match("filter id eq or userName eq", "/scim/v2/Users",
                     R"(id eq "{VU}" or userName eq "{VN}")"),
            no_search_match("root .search by userName", "/scim/v2/.search",
                            R"(userName eq "{VN}")"),
            no_search_match("root .search by id", "/scim/v2/.search",
                            R"(id eq "{VU}" or id eq "{VG}")"),
            no_search_match("Users .search by id", "/scim/v2/Users/.search", R"(id eq "{VU}")"),
            no_search_match("Groups .search by member", "/scim/v2/Groups/.search",
                            R"(members.value eq "{VU}")"),
            // Unfiltered: only the attacker's own resources, none of the victim's names.
            answered("unfiltered root .search", post, "/scim/v2/.search", all, 200),
            answered("unfiltered user list", get, "/scim/v2/Users", {}, 200),
            answered("unfiltered group list", get, "/scim/v2/Groups", {}, 200),
        },
        def_, lark_);
}

// A member or manager reference to the other tenant's id is 400 invalidValue: the id names
// nothing this client may reference (RFC 7644 §3.12), and nothing is written.
TEST_F(TenantIsolation, ReferencesToTheOtherTenantAre400InvalidValueAndWriteNothing) {
    using enum bhttp::verb;
    const auto before_own = snapshot(def_);
    const std::string group_with_victim =
        R"({"schemas":[")" + std::string(group_schema) +
        R"("],"displayName":"{AGN}","members":[{"value":"{VU}"}]})";
    run(
        {
            invalid_value("create group with the victim as member", post, "/scim/v2/Groups",
                          replace_all(group_with_victim, "{AGN}", "iso-stolen")),
            invalid_value("patch add victim user to own group", patch, "/scim/v2/Groups/{AG}",
                          add_member("{VU}")),
            invalid_value("patch add victim group to own group", patch, "/scim/v2/Groups/{AG}",
                          add_member("{VG}")),
            invalid_value(
                "patch replace own members with the victim", patch, "/scim/v2/Groups/{AG}",
                patch_body(R"([{"op":"replace","path":"members","value":[{"value":"{VU}"}]}])")),
            invalid_value("put own group with the victim as member", put, "/scim/v2/Groups/{AG}",
                          replace_all(group_with_victim, "{AGN}", "iso-default-group")),
            invalid_value(
                "patch own user's manager to the victim", patch, "/scim/v2/Users/{AU}",
                patch_body(R"([{"op":"add","path":"manager","value":[{"value":"{VU}"}]}])")),
        },
        def_, lark_);
    EXPECT_EQ(snapshot(def_), before_own) << "a refused reference wrote something";
}

// Reads of the attacker's own resources that hold the victim's DN (an admin's edit) do not
// show it, and a body naming the victim's id as its own "id" changes only the attacker's data.
// A userName the victim has is free in the attacker's tenant (a 409 would reveal it exists).
TEST_F(TenantIsolation, OwnResourcesNeverShowOrBecomeTheOtherTenants) {
    using enum bhttp::verb;
    const std::string user = R"({"schemas":[")" + std::string(user_schema) + R"("],)";
    run(
        {
            answered("own mixed group hides the victim member", get, "/scim/v2/Groups/" + mixed_id_,
                     {}, 200),
            answered("own user's groups", get, "/scim/v2/Users/{AU}?attributes=groups", {}, 200),
            answered("create with the victim's id in the body", post, "/scim/v2/Users",
                     user + R"("id":"{VU}","userName":"iso.newcomer","userType":"Staff"})", 201),
            answered("create with the victim's userName", post, "/scim/v2/Users",
                     user + R"("userName":"{VN}","userType":"Staff"})", 201),
            answered("put own user with the victim's id in the body", put, "/scim/v2/Users/{AU}",
                     user + R"("id":"{VU}","userName":"{AN}","userType":"Staff","title":"mine"})",
                     200),
        },
        def_, lark_);
    const auto mixed = bridge_->request(get, "/scim/v2/Groups/" + mixed_id_);
    ASSERT_EQ(mixed.status, 200u) << mixed.body;
    const json::value group = mixed.json();
    const auto& members = group.at("members").as_array();
    ASSERT_EQ(members.size(), 1u) << mixed.body;
    EXPECT_EQ(members.front().at("value"), json::value(def_.user_id));
    // The users made here would show the victim's userName in other cases' lists.
    for (const std::string name : {"iso.newcomer", "iso.bob@classlark.test"}) {
        const auto found = ldap_admin(*slapd_).search("ou=People,dc=example,dc=org",
                                                      "(uid=" + name + ")", {"entryUUID"});
        ASSERT_EQ(found.size(), 1u) << name;
        const auto id = found.front().first("entryUUID").value_or("");
        EXPECT_NE(lower(id), lower(lark_.user_id));
        EXPECT_EQ(bridge_->request(delete_, "/scim/v2/Users/" + id).status, 204u);
    }
}

// Ids that are no id: dot segments, encoded and double-encoded slashes, DNs, trailing
// characters, another base path. 404 where the target is a valid URI naming no resource,
// 400 where it is no valid URI.
TEST_F(TenantIsolation, PathTricksReachNothingOfTheOtherTenant) {
    using enum bhttp::verb;
    const std::string dn = "uid=iso.bob@classlark.test,ou=People,ou=classlark,dc=example,dc=org";
    const std::string group_dn = "cn=iso-classlark-group,ou=Groups,ou=classlark,dc=example,dc=org";
    run(
        {
            not_found("dot segments to the other type", get, "/scim/v2/Users/../Groups/{VG}"),
            not_found("dot segments after own id", get, "/scim/v2/Users/{AU}/../{VU}"),
            not_found("encoded dot segments", get, "/scim/v2/Users/%2e%2e/Users/{VU}"),
            not_found("encoded slash in the id", get, "/scim/v2/Users/{AU}%2F..%2F{VU}"),
            not_found("encoded slashes to the other tenant", get,
                      "/scim/v2/Users/..%2F..%2Fclasslark%2FUsers%2F{VU}"),
            not_found("double-encoded slash", get, "/scim/v2/Users/%252e%252e%252F{VU}"),
            not_found("delete with a double-encoded slash", delete_,
                      "/scim/v2/Users/{AU}%252F{VU}"),
            not_found("DN in place of the id", get, "/scim/v2/Users/" + dn),
            not_found("encoded DN in place of the id", get, "/scim/v2/Users/" + percent_encode(dn)),
            not_found("delete by DN", delete_, "/scim/v2/Users/" + dn),
            not_found("patch by group DN", patch, "/scim/v2/Groups/" + group_dn,
                      add_member("{AU}")),
            not_found("id with a trailing slash", get, "/scim/v2/Users/{VU}/"),
            not_found("id with an encoded trailing slash", get, "/scim/v2/Users/{VU}%2F"),
            not_found("id with an encoded NUL", get, "/scim/v2/Users/{VU}%00"),
            not_found("id with a matrix parameter", get, "/scim/v2/Users/{VU};tenant=classlark"),
            not_found("id in upper case", get, "/scim/v2/Users/{VU_UPPER}"),
            not_found("wildcard id", get, "/scim/v2/Users/*"),
            not_found("filter-shaped id", get, "/scim/v2/Users/*)(entryUUID=*"),
            not_found("query naming the other tenant", get, "/scim/v2/Users/{VU}?tenant=classlark"),
            not_found("endpoint name in upper case", get, "/scim/v2/USERS/{VU}"),
            not_found("empty segment before the type", get, "/scim/v2//Users/{VU}"),
            not_found("tenant name as a path segment", get, "/scim/v2/classlark/Users/{VU}"),
            not_found("root /Users outside the base path", get, "/Users/{VU}"),
            not_found("root /Users delete outside the base path", delete_, "/Users/{VU}"),
            answered("malformed percent-encoding", get, "/scim/v2/Users/%zz{VU}", {}, 400),
        },
        def_, lark_);
}

TEST_F(TenantIsolation, TokensThatAreNotExactlyTheAttackersAre401) {
    using enum bhttp::verb;
    const std::string victim_token = bridge_fixture::classlark_token;
    run(
        {
            unauthorized("no token", get, ""),
            unauthorized("victim's token with a suffix", get, "Bearer " + victim_token + "x"),
            unauthorized("two tokens in one header", delete_,
                         std::string("Bearer ") + bridge_fixture::default_token + ", Bearer " +
                             victim_token),
            unauthorized("the tenant's name as token", get, "Bearer classlark"),
        },
        def_, lark_);
}

// The same attacks the other way round: classlark's token against the default tenant.
TEST_F(TenantIsolation, TheReverseDirectionIsIsolatedToo) {
    using enum bhttp::verb;
    // An email-shaped userName, as classlark's profile requires: the body is valid there.
    const std::string put_user = R"({"schemas":[")" + std::string(user_schema) +
                                 R"("],"userName":"iso.alice@example.org","userType":"Staff"})";
    run(
        {
            not_found("get user", get, "/scim/v2/Users/{VU}"),
            not_found("get group", get, "/scim/v2/Groups/{VG}"),
            not_found("put user", put, "/scim/v2/Users/{VU}", put_user),
            not_found("patch user", patch, "/scim/v2/Users/{VU}",
                      patch_body(R"([{"op":"replace","path":"title","value":"owned"}])")),
            not_found("delete user", delete_, "/scim/v2/Users/{VU}"),
            not_found("delete group", delete_, "/scim/v2/Groups/{VG}"),
            no_match("filter userName eq", "/scim/v2/Users", R"(userName eq "{VN}")"),
            no_search_match("root .search by id", "/scim/v2/.search",
                            R"(id eq "{VU}" or id eq "{VG}")"),
            invalid_value("patch add victim user to own group", patch, "/scim/v2/Groups/{AG}",
                          add_member("{VU}")),
            not_found("DN in place of the id", get,
                      "/scim/v2/Users/uid=iso.alice,ou=People,dc=example,dc=org"),
        },
        lark_, def_);
}

}  // namespace
}  // namespace scimldap::testing
