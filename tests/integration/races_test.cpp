// Concurrency races against one resource (issue 13, point 8): several client threads released
// together by a barrier hit the same user or group, many rounds each; every round checks the
// HTTP answers and the LDAP entry the race left behind.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <barrier>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr const char* people = "ou=People,dc=example,dc=org";
constexpr const char* groups = "ou=Groups,dc=example,dc=org";
constexpr const char* patch_schema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string patch_body(const std::string& operations) {
    return std::string(R"({"schemas":[")") + patch_schema + R"("],"Operations":)" + operations +
           "}";
}

std::string user_body(const std::string& user_name, const std::string& more = "") {
    return R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" + user_name +
           R"(","name":{"givenName":"Race","familyName":"Runner"})" + more + "}";
}

std::string group_body(const std::string& display_name, const std::vector<std::string>& ids) {
    json::array members;
    for (const auto& id : ids) {
        members.push_back(json::object{{"value", id}});
    }
    return json::serialize(
        json::object{{"schemas", json::array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                     {"displayName", display_name},
                     {"members", std::move(members)}});
}

/// Runs each request on its own thread, all released at once by a barrier; the replies in the
/// order of `requests`.
std::vector<http_reply> all_at_once(const std::vector<std::function<http_reply()>>& requests) {
    std::vector<http_reply> replies(requests.size());
    std::barrier start(static_cast<std::ptrdiff_t>(requests.size()));
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            try {
                replies[i] = requests[i]();
            } catch (const std::exception& e) {
                replies[i].status = 0;
                replies[i].body = e.what();
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    return replies;
}

std::multiset<unsigned> statuses(const std::vector<http_reply>& replies) {
    std::multiset<unsigned> out;
    for (const auto& r : replies) {
        out.insert(r.status);
    }
    return out;
}

/// `n` times `status`, plus `others`.
std::multiset<unsigned> times(int n, unsigned status, std::initializer_list<unsigned> others = {}) {
    std::multiset<unsigned> out(others);
    for (int i = 0; i < n; ++i) {
        out.insert(status);
    }
    return out;
}

std::string bodies(const std::vector<http_reply>& replies) {
    std::string out;
    for (const auto& r : replies) {
        out += std::to_string(r.status) + " " + r.body + "\n";
    }
    return out;
}

class Races : public bridge_suite<Races> {
protected:
    void SetUp() override { admin_ = std::make_unique<ldap_admin>(*slapd_); }

    static http_reply send(bhttp::verb method, const std::string& target,
                           const std::string& body = {},
                           const std::map<std::string, std::string>& extra = {}) {
        std::map<std::string, std::string> headers = extra;
        headers["Authorization"] = std::string("Bearer ") + bridge_fixture::default_token;
        if (!body.empty()) {
            headers["Content-Type"] = "application/scim+json";
        }
        return http_request(bridge_->port(), method, target, headers, body);
    }

    static std::string created_id(const http_reply& r) {
        EXPECT_EQ(r.status, 201u) << r.body;
        return r.status == 201 ? std::string(r.json().at("id").as_string()) : std::string();
    }

    /// `n` users named stem.0 … stem.(n-1): their ids and their DNs (lower case).
    static std::pair<std::vector<std::string>, std::vector<std::string>> create_users(
        const std::string& stem, int n) {
        std::pair<std::vector<std::string>, std::vector<std::string>> out;
        for (int i = 0; i < n; ++i) {
            const std::string name = stem + "." + std::to_string(i);
            out.first.push_back(
                created_id(send(bhttp::verb::post, "/scim/v2/Users", user_body(name))));
            out.second.push_back(lower("uid=" + name + "," + people));
        }
        return out;
    }

    std::vector<ldap::entry> users_named(const std::string& user_name) {
        return admin_->search(people, "(uid=" + user_name + ")");
    }

    std::set<std::string> ldap_members(const std::string& dn) {
        std::set<std::string> out;
        if (const auto e = admin_->read(dn, {"member"})) {
            for (const auto& v : attribute_values(*e, "member")) {
                out.insert(lower(v));
            }
        }
        return out;
    }

    std::set<std::string> member_of(const std::string& dn) {
        std::set<std::string> out;
        if (const auto e = admin_->read(dn, {"memberOf"})) {
            for (const auto& v : attribute_values(*e, "memberOf")) {
                out.insert(lower(v));
            }
        }
        return out;
    }

    static std::set<std::string> scim_member_ids(const std::string& group_id) {
        const auto r = send(bhttp::verb::get, "/scim/v2/Groups/" + group_id);
        EXPECT_EQ(r.status, 200u) << r.body;
        std::set<std::string> out;
        if (r.status != 200) {
            return out;
        }
        const json::value group = r.json();
        if (const auto* m = group.as_object().if_contains("members")) {
            for (const auto& v : m->as_array()) {
                out.insert(lower(std::string(v.at("value").as_string())));
            }
        }
        return out;
    }

    std::unique_ptr<ldap_admin> admin_;
};

constexpr int create_rounds = 30;
constexpr int put_rounds = 30;
constexpr int put_writers = 4;
constexpr int member_rounds = 20;
constexpr int member_writers = 50;
constexpr int rename_rounds = 30;

TEST_F(Races, TwoCreatesOfOneUserNameGiveOne201AndOne409AndOneEntry) {
    for (int round = 0; round < create_rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string name = "race.create." + std::to_string(round);
        const auto post = [&] {
            return send(bhttp::verb::post, "/scim/v2/Users", user_body(name));
        };
        const auto replies = all_at_once({post, post});
        EXPECT_EQ(statuses(replies), (std::multiset<unsigned>{201, 409})) << bodies(replies);
        EXPECT_EQ(users_named(name).size(), 1u);
    }
}

TEST_F(Races, TwoCreatesWithARoleGroupGiveOne201AndOne409AndOneFinishedMember) {
    // userType has role groups: the create is a pending add, the role join and a last modify.
    for (int round = 0; round < create_rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string name = "race.role." + std::to_string(round);
        const std::string body = user_body(name, R"(,"userType":"RaceRole")");
        const auto post = [&] { return send(bhttp::verb::post, "/scim/v2/Users", body); };
        const auto replies = all_at_once({post, post});
        EXPECT_EQ(statuses(replies), (std::multiset<unsigned>{201, 409})) << bodies(replies);
        const auto found = users_named(name);
        ASSERT_EQ(found.size(), 1u);
        EXPECT_TRUE(attribute_values(found.front(), "scimCreatePending").empty());
        const std::string dn = lower("uid=" + name + "," + people);
        EXPECT_TRUE(ldap_members("cn=RaceRole,ou=Roles,dc=example,dc=org").contains(dn));
    }
}

TEST_F(Races, TwoCreatesOfOneGroupDisplayNameGiveOne201AndOne409AndOneEntry) {
    for (int round = 0; round < create_rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string name = "race-group-" + std::to_string(round);
        const auto post = [&] {
            return send(bhttp::verb::post, "/scim/v2/Groups", group_body(name, {}));
        };
        const auto replies = all_at_once({post, post});
        EXPECT_EQ(statuses(replies), (std::multiset<unsigned>{201, 409})) << bodies(replies);
        EXPECT_EQ(admin_->search(groups, "(cn=" + name + ")").size(), 1u);
    }
}

TEST_F(Races, FiftyConcurrentOneMemberAddsToOneGroupAllLand) {
    const auto [ids, member_dns] = create_users("race.member", member_writers);
    const std::set<std::string> dns(member_dns.begin(), member_dns.end());
    for (int round = 0; round < member_rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string name = "race-members-" + std::to_string(round);
        const auto group =
            created_id(send(bhttp::verb::post, "/scim/v2/Groups", group_body(name, {})));
        std::vector<std::function<http_reply()>> adds;
        for (const auto& id : ids) {
            adds.push_back([&group, id] {
                return send(bhttp::verb::patch, "/scim/v2/Groups/" + group,
                            patch_body(R"([{"op":"add","path":"members","value":[{"value":")" + id +
                                       R"("}]}])"));
            });
        }
        const auto replies = all_at_once(adds);
        EXPECT_EQ(statuses(replies), times(member_writers, 204)) << bodies(replies);
        EXPECT_EQ(ldap_members("cn=" + name + "," + groups), dns);
        std::set<std::string> lowered_ids;
        for (const auto& id : ids) {
            lowered_ids.insert(lower(id));
        }
        EXPECT_EQ(scim_member_ids(group), lowered_ids);
        // memberof followed every add.
        const auto with_member_of = admin_->search(
            people, "(memberOf=" + std::string("cn=") + name + "," + groups + ")", {"uid"});
        EXPECT_EQ(with_member_of.size(), static_cast<std::size_t>(member_writers));
    }
}

TEST_F(Races, ConcurrentUserPutsWithOneIfMatchHaveOneWinnerAndTheEntryIsItsBody) {
    const std::string name = "race.put";
    const auto id = created_id(send(bhttp::verb::post, "/scim/v2/Users", user_body(name)));
    for (int round = 0; round < put_rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const auto etag = send(bhttp::verb::get, "/scim/v2/Users/" + id).header("ETag");
        ASSERT_FALSE(etag.empty());
        std::vector<std::function<http_reply()>> puts;
        for (int w = 0; w < put_writers; ++w) {
            const std::string title = "writer-" + std::to_string(round) + "-" + std::to_string(w);
            puts.push_back([&, title] {
                return send(bhttp::verb::put, "/scim/v2/Users/" + id,
                            user_body(name, R"(,"title":")" + title + R"(")"),
                            {{"If-Match", etag}});
            });
        }
        const auto replies = all_at_once(puts);
        ASSERT_EQ(statuses(replies), times(put_writers - 1, 412, {200})) << bodies(replies);
        const auto winner = std::find_if(replies.begin(), replies.end(),
                                         [](const http_reply& r) { return r.status == 200; });
        const std::string winning_title(winner->json().at("title").as_string());
        const auto e = admin_->read("uid=" + name + "," + people);
        ASSERT_TRUE(e);
        EXPECT_EQ(attribute_values(*e, "title"), std::vector<std::string>{winning_title});
        EXPECT_EQ("W/\"" + e->first("entryCSN").value_or("") + "\"", winner->header("ETag"));
    }
}

TEST_F(Races, ConcurrentGroupPutsWithOneIfMatchHaveOneWinnerAndTheMembersAreItsBody) {
    const auto [bases, base_dns] = create_users("race.gput.base", 1);
    const std::string& base = bases.front();
    const std::string& base_dn = base_dns.front();
    const auto [ids, dns] = create_users("race.gput", put_writers);
    for (int round = 0; round < put_rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string name = "race-group-put-" + std::to_string(round);
        const auto group =
            created_id(send(bhttp::verb::post, "/scim/v2/Groups", group_body(name, {base})));
        const auto etag = send(bhttp::verb::get, "/scim/v2/Groups/" + group).header("ETag");
        ASSERT_FALSE(etag.empty());
        // An IdP's PUT of a group it adds one member to: the whole list, the one new member
        // added. Each writer adds another user, so their LDAP changes do not collide.
        std::vector<std::function<http_reply()>> puts;
        for (int w = 0; w < put_writers; ++w) {
            puts.push_back([&, w] {
                return send(bhttp::verb::put, "/scim/v2/Groups/" + group,
                            group_body(name, {base, ids[static_cast<std::size_t>(w)]}),
                            {{"If-Match", etag}});
            });
        }
        const auto replies = all_at_once(puts);
        ASSERT_EQ(statuses(replies), times(put_writers - 1, 412, {200})) << bodies(replies);
        const auto winner = static_cast<std::size_t>(
            std::find_if(replies.begin(), replies.end(),
                         [](const http_reply& r) { return r.status == 200; }) -
            replies.begin());
        EXPECT_EQ(ldap_members("cn=" + name + "," + groups),
                  (std::set<std::string>{base_dn, dns[winner]}));
        EXPECT_EQ(scim_member_ids(group), (std::set<std::string>{lower(base), lower(ids[winner])}));
        // memberof followed the asserted member change: only the members name the group.
        const std::string group_dn = lower("cn=" + name + "," + groups);
        for (std::size_t w = 0; w < dns.size(); ++w) {
            EXPECT_EQ(member_of(dns[w]).contains(group_dn), w == winner) << dns[w];
        }
        EXPECT_TRUE(member_of(base_dn).contains(group_dn));
    }
}

TEST_F(Races, ConcurrentGroupPutsWithoutIfMatchLeaveExactlyOneBodysMembers) {
    const auto [bases, base_dns] = create_users("race.lput.base", 1);
    const std::string& base = bases.front();
    const std::string& base_dn = base_dns.front();
    const auto [ids, dns] = create_users("race.lput", put_writers);
    std::set<std::set<std::string>> bodies_members;
    for (const auto& dn : dns) {
        bodies_members.insert({base_dn, dn});
    }
    for (int round = 0; round < put_rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string name = "race-group-lput-" + std::to_string(round);
        const auto group =
            created_id(send(bhttp::verb::post, "/scim/v2/Groups", group_body(name, {base})));
        std::vector<std::function<http_reply()>> puts;
        for (int w = 0; w < put_writers; ++w) {
            puts.push_back([&, w] {
                return send(bhttp::verb::put, "/scim/v2/Groups/" + group,
                            group_body(name, {base, ids[static_cast<std::size_t>(w)]}));
            });
        }
        const auto replies = all_at_once(puts);
        EXPECT_EQ(statuses(replies), times(put_writers, 200)) << bodies(replies);
        // Last writer wins: the members are one body's list, never a mix of several.
        const auto members = ldap_members("cn=" + name + "," + groups);
        EXPECT_TRUE(bodies_members.contains(members)) << members.size() << " members";
    }
}

TEST_F(Races, RenameAndPatchWithOneIfMatchHaveOneWinnerAndTheLoserGets412) {
    const std::string name = "race.crename";
    const auto id = created_id(send(bhttp::verb::post, "/scim/v2/Users", user_body(name)));
    std::string current = name;
    for (int round = 0; round < rename_rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const auto etag = send(bhttp::verb::get, "/scim/v2/Users/" + id).header("ETag");
        const std::string renamed = "race.crenamed." + std::to_string(round);
        const std::string title = "ctitle-" + std::to_string(round);
        const auto rename = [&] {
            return send(
                bhttp::verb::patch, "/scim/v2/Users/" + id,
                patch_body(R"([{"op":"replace","path":"userName","value":")" + renamed + R"("}])"),
                {{"If-Match", etag}});
        };
        const auto retitle = [&] {
            return send(
                bhttp::verb::patch, "/scim/v2/Users/" + id,
                patch_body(R"([{"op":"replace","path":"title","value":")" + title + R"("}])"),
                {{"If-Match", etag}});
        };
        const auto replies = all_at_once({rename, retitle});
        ASSERT_EQ(statuses(replies), (std::multiset<unsigned>{200, 412})) << bodies(replies);
        const bool rename_won = replies[0].status == 200;
        const std::string now = rename_won ? renamed : current;
        const auto found = admin_->search(people, "(entryUUID=" + id + ")");
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(lower(found.front().name.str()), lower("uid=" + now + "," + people));
        EXPECT_EQ(found.front().first("title").value_or("") == title, !rename_won);
        current = now;
    }
}

TEST_F(Races, RenameRacingAPatchOfAnotherAttributeEndsWithBothOrOnlyTheWinner) {
    const std::string name = "race.rename";
    const auto id = created_id(send(bhttp::verb::post, "/scim/v2/Users", user_body(name)));
    std::string current = name;
    for (int round = 0; round < rename_rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string renamed = "race.renamed." + std::to_string(round);
        const std::string title = "title-" + std::to_string(round);
        const auto rename = [&] {
            return send(
                bhttp::verb::patch, "/scim/v2/Users/" + id,
                patch_body(R"([{"op":"replace","path":"userName","value":")" + renamed + R"("}])"));
        };
        const auto retitle = [&] {
            return send(
                bhttp::verb::patch, "/scim/v2/Users/" + id,
                patch_body(R"([{"op":"replace","path":"title","value":")" + title + R"("}])"));
        };
        const auto replies = all_at_once({rename, retitle});
        const auto ok = [](unsigned s) { return s == 200 || s == 204; };
        const auto lost = [](unsigned s) { return s == 409 || s == 412; };
        const bool renamed_ok = ok(replies[0].status);
        const bool retitled_ok = ok(replies[1].status);
        EXPECT_TRUE(renamed_ok || lost(replies[0].status)) << bodies(replies);
        EXPECT_TRUE(retitled_ok || lost(replies[1].status)) << bodies(replies);
        EXPECT_TRUE(renamed_ok || retitled_ok) << bodies(replies);

        // The entry is where the winners put it, with what they wrote, and nowhere else.
        const std::string now = renamed_ok ? renamed : current;
        const auto found = admin_->search(people, "(entryUUID=" + id + ")");
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(lower(found.front().name.str()), lower("uid=" + now + "," + people));
        EXPECT_EQ(attribute_values(found.front(), "uid"), std::vector<std::string>{now});
        if (retitled_ok) {
            EXPECT_EQ(attribute_values(found.front(), "title"), std::vector<std::string>{title});
        } else {
            EXPECT_NE(found.front().first("title").value_or(""), title);
        }
        current = now;
    }
}

}  // namespace
}  // namespace scimldap::testing
