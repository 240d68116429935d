// The asynchronous LDAP client against a real slapd: multiplexing, outages, failover, every
// operation type, result codes and the controls the bridge relies on.
#include "bridge/ldap/ldap_client.hpp"
#include "bridge/ldap/controls.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <ldap.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <iomanip>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

namespace {

namespace asio = boost::asio;
namespace ldap = scimldap::ldap;
namespace controls = scimldap::ldap::controls;
using scimldap::testing::ldap_admin;
using scimldap::testing::slapd_launcher;
using namespace std::chrono_literals;

constexpr const char* people = "ou=People,dc=example,dc=org";
constexpr const char* groups = "ou=Groups,dc=example,dc=org";
constexpr int seeded_users = 600;  // more than slapd's default size limit (500)

std::string seeded_uid(int i) {
    std::ostringstream out;
    out << "lc-" << std::setw(4) << std::setfill('0') << i;
    return out.str();
}
std::string user_dn(const std::string& uid) {
    return "uid=" + uid + "," + people;
}

std::string user_ldif(const std::string& uid) {
    return "dn: " + user_dn(uid) + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\ncn: Name " +
           uid + "\nsn: " + uid + "\n\n";
}

/// Runs one awaitable on the pool and waits for it (the test thread is not an IO thread).
template <class T>
T run(asio::thread_pool& pool, asio::awaitable<T> work) {
    return asio::co_spawn(pool, std::move(work), asio::use_future).get();
}

ldap::client_options options_for(const slapd_launcher& slapd) {
    ldap::client_options o;
    o.uris = {slapd.uri()};
    o.bind_dn = slapd_launcher::service_dn;
    o.password = slapd_launcher::service_password;
    o.pool_size = 2;
    o.operation_timeout = 5s;
    o.reconnect_backoff_min = 20ms;
    o.reconnect_backoff_max = 200ms;
    return o;
}

ldap::search_request by_uid(const std::string& uid) {
    ldap::search_request r;
    r.base = ldap::dn(people);
    r.filter = ldap::filter("(uid=" + uid + ")");
    r.attributes = {"uid", "cn"};
    return r;
}

ldap::search_request seeded_users_request() {
    ldap::search_request r;
    r.base = ldap::dn(people);
    r.scope = ldap::scope::one;
    r.filter = ldap::filter("(uid=lc-0*)");  // the seeded ones only
    r.attributes = {"uid"};
    return r;
}

pid_t slapd_pid(const slapd_launcher& slapd) {
    std::ifstream in(slapd.dir() + "/slapd.pid");
    pid_t pid = -1;
    in >> pid;
    return pid;
}

/// kill() only queues the signal: wait until every thread of pid is in the stopped state.
bool wait_until_stopped(pid_t pid) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        bool all_stopped = true;
        for (const auto& task :
             std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
            std::ifstream stat(task.path() / "stat");
            std::string line;
            std::getline(stat, line);
            const auto close = line.rfind(')');
            const char state =
                close != std::string::npos && close + 2 < line.size() ? line[close + 2] : '?';
            all_stopped = all_stopped && (state == 'T' || state == 't');
        }
        if (all_stopped) {
            return true;
        }
        std::this_thread::yield();
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// One slapd shared by the suite, seeded with users the tests only read (writes use own names).

class LdapClient : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        slapd_ = std::make_unique<slapd_launcher>();
        slapd_->start();
        std::string ldif;
        for (int i = 0; i < seeded_users; ++i) {
            ldif += user_ldif(seeded_uid(i));
        }
        ldif += "dn: cn=lc-team," + std::string(groups) +
                "\nobjectClass: groupOfNames\ncn: lc-team\nmember: " + user_dn(seeded_uid(1)) +
                "\nmember: " + user_dn(seeded_uid(2)) + "\n";
        ldap_admin(*slapd_).apply_ldif(ldif);
    }
    static void TearDownTestSuite() { slapd_.reset(); }

    void SetUp() override {
        client_ = std::make_unique<ldap::client>(pool_.get_executor(), options_for(*slapd_));
        client_->start();
    }
    void TearDown() override {
        client_.reset();
        pool_.join();
    }

    static std::unique_ptr<slapd_launcher> slapd_;
    asio::thread_pool pool_{2};
    std::unique_ptr<ldap::client> client_;
};
std::unique_ptr<slapd_launcher> LdapClient::slapd_;

TEST_F(LdapClient, ThousandConcurrentSearchesOnTwoConnectionsEachGetTheirOwnEntry) {
    constexpr int searches = 1000;
    std::vector<std::future<ldap::result<ldap::search_result>>> answers;
    for (int i = 0; i < searches; ++i) {
        answers.push_back(
            asio::co_spawn(pool_, client_->search(by_uid(seeded_uid(i % 100))), asio::use_future));
    }
    for (int i = 0; i < searches; ++i) {
        auto r = answers[i].get();
        ASSERT_TRUE(r.has_value()) << i << ": " << r.error().diagnostic;
        ASSERT_EQ(r->entries.size(), 1u) << i;
        EXPECT_EQ(r->entries[0].name.str(), user_dn(seeded_uid(i % 100)));
        EXPECT_EQ(r->entries[0].first("cn"), "Name " + seeded_uid(i % 100));
    }
}

TEST_F(LdapClient, FeaturesComeFromTheRootDse) {
    ASSERT_TRUE(run(pool_, client_->search(by_uid(seeded_uid(0)))).has_value());
    EXPECT_TRUE(client_->connected());
    auto f = client_->features();
    EXPECT_TRUE(f.has_control(ldap::oids::post_read));
    EXPECT_TRUE(f.has_control(ldap::oids::paged_results));
    EXPECT_TRUE(f.has_extension(ldap::oids::password_modify));
}

TEST_F(LdapClient, AddModifyRenameRemoveRoundTrip) {
    const std::string uid = "lc-roundtrip";
    auto added =
        run(pool_, client_->add(ldap::dn(user_dn(uid)), {{"objectClass", {"inetOrgPerson"}},
                                                         {"uid", {uid}},
                                                         {"cn", {"Round Trip"}},
                                                         {"sn", {"Trip"}}}));
    ASSERT_TRUE(added.has_value()) << added.error().diagnostic;
    ldap_admin admin(*slapd_);
    EXPECT_EQ(scimldap::testing::attribute_values(*admin.read(user_dn(uid)), "cn"),
              std::vector<std::string>{"Round Trip"});

    auto modified = run(pool_, client_->modify(ldap::dn(user_dn(uid)),
                                               {{ldap::mod_op::replace, "cn", {"Renamed Trip"}},
                                                {ldap::mod_op::add, "mail", {"rt@example.org"}}}));
    ASSERT_TRUE(modified.has_value()) << modified.error().diagnostic;
    auto after_modify = admin.read(user_dn(uid));
    EXPECT_EQ(scimldap::testing::attribute_values(*after_modify, "mail"),
              std::vector<std::string>{"rt@example.org"});

    auto renamed =
        run(pool_, client_->rename(ldap::dn(user_dn(uid)), "uid=lc-renamed", std::nullopt, true));
    ASSERT_TRUE(renamed.has_value()) << renamed.error().diagnostic;
    EXPECT_FALSE(admin.read(user_dn(uid)).has_value());
    ASSERT_TRUE(admin.read(user_dn("lc-renamed")).has_value());

    auto removed = run(pool_, client_->remove(ldap::dn(user_dn("lc-renamed"))));
    ASSERT_TRUE(removed.has_value()) << removed.error().diagnostic;
    EXPECT_FALSE(admin.read(user_dn("lc-renamed")).has_value());
}

TEST_F(LdapClient, AddingAnExistingEntryIsEntryAlreadyExists) {
    auto r = run(pool_,
                 client_->add(ldap::dn(user_dn(seeded_uid(3))), {{"objectClass", {"inetOrgPerson"}},
                                                                 {"uid", {seeded_uid(3)}},
                                                                 {"cn", {"x"}},
                                                                 {"sn", {"x"}}}));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().result_code(), LDAP_ALREADY_EXISTS);  // 68
    EXPECT_FALSE(r.error().is_transient());
}

TEST_F(LdapClient, ModifyingAMissingEntryIsNoSuchObject) {
    auto r = run(pool_, client_->modify(ldap::dn(user_dn("lc-nobody")),
                                        {{ldap::mod_op::replace, "cn", {"x"}}}));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().result_code(), LDAP_NO_SUCH_OBJECT);  // 32
    EXPECT_EQ(r.error().matched_dn, people);
}

TEST_F(LdapClient, AssertionOnAStaleEntryCsnFailsAndOnTheCurrentOneSucceeds) {
    const std::string uid = "lc-assert";
    ldap_admin admin(*slapd_);
    admin.apply_ldif(user_ldif(uid));
    const auto stale = scimldap::testing::attribute_values(*admin.read(user_dn(uid)), "entryCSN");
    ASSERT_EQ(stale.size(), 1u);
    admin.apply_ldif("dn: " + user_dn(uid) +
                     "\nchangetype: modify\nreplace: cn\ncn: edited by an admin\n");

    auto guard = controls::assertion(ldap::filter("(entryCSN=" + stale[0] + ")"));
    ASSERT_TRUE(guard.has_value());
    auto refused =
        run(pool_, client_->modify(ldap::dn(user_dn(uid)),
                                   {{ldap::mod_op::replace, "cn", {"lost update"}}}, {*guard}));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().result_code(), LDAP_ASSERTION_FAILED);  // 122
    EXPECT_EQ(scimldap::testing::attribute_values(*admin.read(user_dn(uid)), "cn"),
              std::vector<std::string>{"edited by an admin"});

    const auto current = scimldap::testing::attribute_values(*admin.read(user_dn(uid)), "entryCSN");
    auto fresh = controls::assertion(ldap::filter("(entryCSN=" + current[0] + ")"));
    auto accepted =
        run(pool_, client_->modify(ldap::dn(user_dn(uid)),
                                   {{ldap::mod_op::replace, "cn", {"kept update"}}}, {*fresh}));
    ASSERT_TRUE(accepted.has_value()) << accepted.error().diagnostic;
    EXPECT_EQ(scimldap::testing::attribute_values(*admin.read(user_dn(uid)), "cn"),
              std::vector<std::string>{"kept update"});
}

TEST_F(LdapClient, PasswordModifySetsAPasswordTheUserCanBindWith) {
    const std::string uid = "lc-password";
    ldap_admin admin(*slapd_);
    admin.apply_ldif(user_ldif(uid));
    auto r = run(pool_, client_->extended(std::string(ldap::oids::password_modify),
                                          ldap::extended_values::password_modify(
                                              ldap::dn(user_dn(uid)), std::nullopt,
                                              std::string("fresh-secret-1"))));
    ASSERT_TRUE(r.has_value()) << r.error().diagnostic;
    EXPECT_TRUE(admin.can_bind(user_dn(uid), "fresh-secret-1"));
    EXPECT_FALSE(admin.can_bind(user_dn(uid), "wrong"));
}

TEST_F(LdapClient, WhoAmINamesTheServiceAccount) {
    auto r = run(pool_, client_->extended(std::string(ldap::oids::who_am_i), std::nullopt));
    ASSERT_TRUE(r.has_value()) << r.error().diagnostic;
    EXPECT_EQ(r->value, "dn:" + std::string(slapd_launcher::service_dn));
}

TEST_F(LdapClient, PlainSearchPastTheSizeLimitIsAnErrorNotATruncation) {
    auto r = run(pool_, client_->search(seeded_users_request()));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().result_code(), LDAP_SIZELIMIT_EXCEEDED);
}

TEST_F(LdapClient, PagedSearchOnAPinnedConnectionWalksMoreEntriesThanTheSizeLimit) {
    // slapd keeps the paging state per connection: every page must go out on the same one.
    auto lease = run(pool_, client_->pinned());
    ASSERT_TRUE(lease.has_value()) << lease.error().diagnostic;
    std::set<std::string> seen;
    std::string cookie;
    int pages = 0;
    do {
        auto request = seeded_users_request();
        request.controls.push_back(*controls::paged_results(200, cookie));
        auto page = run(pool_, lease->search(request));
        ASSERT_TRUE(page.has_value()) << page.error().diagnostic;
        for (const auto& e : page->entries) {
            seen.insert(*e.first("uid"));
        }
        auto response = controls::parse_paged_results(page->controls);
        ASSERT_TRUE(response.has_value());
        cookie = response->cookie;
        ++pages;
    } while (!cookie.empty());
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(seeded_users));
    EXPECT_EQ(pages, 3);
}

TEST_F(LdapClient, ServerSideSortReturnsEntriesInReverseOrder) {
    auto request = seeded_users_request();
    request.filter = ldap::filter("(uid=lc-000*)");
    // uid has no ORDERING rule in the schema: name one.
    request.controls.push_back(*controls::server_sort({{"uid", "caseIgnoreOrderingMatch", true}}));
    auto r = run(pool_, client_->search(request));
    ASSERT_TRUE(r.has_value()) << r.error().diagnostic;
    std::vector<std::string> uids;
    for (const auto& e : r->entries) {
        uids.push_back(*e.first("uid"));
    }
    EXPECT_EQ(uids,
              (std::vector<std::string>{"lc-0009", "lc-0008", "lc-0007", "lc-0006", "lc-0005",
                                        "lc-0004", "lc-0003", "lc-0002", "lc-0001", "lc-0000"}));
    auto sorted = controls::parse_server_sort(r->controls);
    ASSERT_TRUE(sorted.has_value());
    EXPECT_EQ(sorted->result_code, LDAP_SUCCESS);
}

TEST_F(LdapClient, VirtualListViewPagesOnAPinnedConnection) {
    auto lease = run(pool_, client_->pinned());
    ASSERT_TRUE(lease.has_value()) << lease.error().diagnostic;
    auto window = [&](int offset, std::optional<std::string> context) {
        auto request = seeded_users_request();
        request.controls.push_back(
            *controls::server_sort({{"uid", "caseIgnoreOrderingMatch", false}}));
        ldap::controls::vlv_request vlv;
        vlv.before_count = 0;
        vlv.after_count = 4;
        vlv.offset = offset;
        vlv.context_id = std::move(context);
        request.controls.push_back(*controls::vlv(vlv));
        return run(pool_, lease->search(request));
    };
    auto first = window(11, std::nullopt);
    ASSERT_TRUE(first.has_value()) << first.error().diagnostic;
    ASSERT_EQ(first->entries.size(), 5u);
    EXPECT_EQ(first->entries.front().first("uid"), "lc-0010");
    auto response = controls::parse_vlv(first->controls);
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->target_position, 11);
    EXPECT_GE(response->content_count, seeded_users);

    // slapd's sssvlv marks the previous sort on this connection finished only after sending its
    // result, so a request right behind it can get busy ("Other sort requests already in
    // progress"): a VLV client retries that.
    auto second = window(101, response->context_id);
    auto busy = [](const auto& r) {
        if (r) {
            return false;
        }
        const auto e = r.error();
        return e.result_code() == LDAP_BUSY ||
               e.diagnostic.find("already in progress") != std::string::npos;
    };
    for (int attempt = 0; attempt < 50 && busy(second); ++attempt) {
        second = window(101, response->context_id);
    }
    ASSERT_TRUE(second.has_value()) << second.error().diagnostic;
    ASSERT_EQ(second->entries.size(), 5u);
    EXPECT_EQ(second->entries.front().first("uid"), "lc-0100");
}

TEST_F(LdapClient, TransactionOnAPinnedConnectionCommitsAllItsWrites) {
    if (!run(pool_, client_->search(by_uid(seeded_uid(0)))).has_value() ||
        !client_->features().has_extension(ldap::oids::txn_start)) {
        GTEST_SKIP() << "server offers no RFC 5805 transactions";
    }
    auto lease = run(pool_, client_->pinned());
    ASSERT_TRUE(lease.has_value());
    auto started = run(pool_, lease->extended(std::string(ldap::oids::txn_start), std::nullopt));
    ASSERT_TRUE(started.has_value()) << started.error().diagnostic;
    ASSERT_TRUE(started->value.has_value());
    const std::string txn = *started->value;
    for (const std::string uid : {"lc-txn-a", "lc-txn-b"}) {
        auto added = run(
            pool_,
            lease->add(
                ldap::dn(user_dn(uid)),
                {{"objectClass", {"inetOrgPerson"}}, {"uid", {uid}}, {"cn", {uid}}, {"sn", {uid}}},
                {controls::txn_spec(txn)}));
        ASSERT_TRUE(added.has_value()) << added.error().diagnostic;
    }
    ldap_admin admin(*slapd_);
    EXPECT_FALSE(admin.read(user_dn("lc-txn-a")).has_value());  // not before the commit
    auto ended = run(pool_, lease->extended(std::string(ldap::oids::txn_end),
                                            ldap::extended_values::txn_end(txn, true)));
    ASSERT_TRUE(ended.has_value()) << ended.error().diagnostic;
    EXPECT_TRUE(admin.read(user_dn("lc-txn-a")).has_value());
    EXPECT_TRUE(admin.read(user_dn("lc-txn-b")).has_value());
}

TEST_F(LdapClient, DerefControlReturnsTheMembersAttributes) {
    ldap::search_request request;
    request.base = ldap::dn("cn=lc-team," + std::string(groups));
    request.scope = ldap::scope::base;
    request.attributes = {"cn"};
    request.controls.push_back(*controls::deref({{"member", {"uid", "cn"}}}));
    auto r = run(pool_, client_->search(request));
    ASSERT_TRUE(r.has_value()) << r.error().diagnostic;
    ASSERT_EQ(r->entries.size(), 1u);
    auto members = controls::parse_deref(r->entries[0].controls);
    ASSERT_TRUE(members.has_value()) << members.error().diagnostic;
    ASSERT_EQ(members->size(), 2u);
    std::map<std::string, std::string> uid_by_dn;
    for (const auto& m : *members) {
        EXPECT_EQ(m.deref_attribute, "member");
        for (const auto& a : m.attributes) {
            if (a.name == "uid") {
                uid_by_dn[m.name.str()] = a.values.at(0);
            }
        }
    }
    EXPECT_EQ(uid_by_dn[user_dn(seeded_uid(1))], seeded_uid(1));
    EXPECT_EQ(uid_by_dn[user_dn(seeded_uid(2))], seeded_uid(2));
}

TEST_F(LdapClient, PostReadControlReturnsTheEntryAsWritten) {
    const std::string uid = "lc-postread";
    auto r = run(pool_, client_->add(ldap::dn(user_dn(uid)),
                                     {{"objectClass", {"inetOrgPerson"}},
                                      {"uid", {uid}},
                                      {"cn", {"Post Read"}},
                                      {"sn", {"Read"}}},
                                     {controls::post_read({"cn", "entryUUID"})}));
    ASSERT_TRUE(r.has_value()) << r.error().diagnostic;
    auto written = controls::parse_read_entry(r->controls);
    ASSERT_TRUE(written.has_value()) << written.error().diagnostic;
    EXPECT_EQ(written->name.str(), user_dn(uid));
    EXPECT_EQ(written->first("cn"), "Post Read");
    ldap_admin admin(*slapd_);
    EXPECT_EQ(written->first("entryUUID"),
              scimldap::testing::attribute_values(*admin.read(user_dn(uid)), "entryUUID").at(0));
}

TEST_F(LdapClient, IdleClientWithRepliesBufferedByReadAheadDoesNotHang) {
    // Many answers arrive together and read-ahead pulls them into liblber's buffer in one
    // read(); with nothing else happening on the socket afterwards, only draining delivers them.
    ldap::client_options o = options_for(*slapd_);
    o.pool_size = 1;
    ldap::client single(pool_.get_executor(), o);
    single.start();
    std::vector<std::future<ldap::result<ldap::search_result>>> answers;
    for (int i = 0; i < 50; ++i) {
        auto request = by_uid(seeded_uid(200 + i));
        answers.push_back(asio::co_spawn(pool_, single.search(request), asio::use_future));
    }
    auto wide = seeded_users_request();
    wide.filter = ldap::filter("(uid=lc-01*)");
    answers.push_back(asio::co_spawn(pool_, single.search(wide), asio::use_future));
    for (std::size_t i = 0; i < answers.size(); ++i) {
        auto r = answers[i].get();
        ASSERT_TRUE(r.has_value()) << i << ": " << r.error().diagnostic;
    }
    EXPECT_EQ(answers.size(), 51u);
}

TEST_F(LdapClient, FilterSyntaxErrorIsReportedNotSent) {
    auto request = by_uid("x");
    request.filter = ldap::filter("(uid=unbalanced");
    auto r = run(pool_, client_->search(request));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().result_code(), LDAP_FILTER_ERROR);
}

// ---------------------------------------------------------------------------------------------
// Outages: each test owns its slapd, because it kills, stops or restarts it.

class LdapClientOutage : public ::testing::Test {
protected:
    void SetUp() override {
        slapd_.start();
        ldap_admin(slapd_).apply_ldif(user_ldif("lc-outage"));
    }
    void TearDown() override {
        client_.reset();
        pool_.join();
    }
    ldap::client& make_client(std::chrono::milliseconds timeout) {
        auto o = options_for(slapd_);
        o.operation_timeout = timeout;
        client_ = std::make_unique<ldap::client>(pool_.get_executor(), o);
        client_->start();
        return *client_;
    }

    slapd_launcher slapd_;
    asio::thread_pool pool_{2};
    std::unique_ptr<ldap::client> client_;
};

TEST_F(LdapClientOutage, KilledServerFailsFastWithATransientErrorAndRestartRecovers) {
    auto& c = make_client(5s);
    ASSERT_TRUE(run(pool_, c.search(by_uid("lc-outage"))).has_value());

    ASSERT_EQ(kill(slapd_pid(slapd_), SIGKILL), 0);
    auto failed = run(pool_, c.search(by_uid("lc-outage")));
    ASSERT_FALSE(failed.has_value());
    EXPECT_TRUE(failed.error().is_transient());
    // Not LDAP_TIMEOUT: the loss is noticed, not waited out.
    EXPECT_EQ(failed.error().result_code(), LDAP_SERVER_DOWN);

    slapd_.stop();  // reaps the killed process
    slapd_.start();
    auto recovered = run(pool_, c.search(by_uid("lc-outage")));
    ASSERT_TRUE(recovered.has_value()) << recovered.error().diagnostic;
    EXPECT_EQ(recovered->entries.size(), 1u);
}

// The timed-out connection heard nothing since the search went out, so it is replaced
// (ldap_faults_test.cpp checks that at the HTTP level); the searches after SIGCONT wait for the
// new connection's bind and succeed.
TEST_F(LdapClientOutage, StoppedServerTimesOutAndTheNextOperationsSucceedOnceItResumes) {
    auto& c = make_client(500ms);
    ASSERT_TRUE(run(pool_, c.search(by_uid("lc-outage"))).has_value());

    const pid_t pid = slapd_pid(slapd_);
    ASSERT_EQ(kill(pid, SIGSTOP), 0);
    struct resume {
        pid_t pid;
        ~resume() { kill(pid, SIGCONT); }
    } guard{pid};
    ASSERT_TRUE(wait_until_stopped(pid));
    auto timed_out = run(pool_, c.search(by_uid("lc-outage")));
    ASSERT_FALSE(timed_out.has_value());
    EXPECT_EQ(timed_out.error().result_code(), LDAP_TIMEOUT);
    EXPECT_TRUE(timed_out.error().is_transient());

    kill(pid, SIGCONT);
    for (int i = 0; i < 4; ++i) {  // both pooled connections, each after its abandon
        auto r = run(pool_, c.search(by_uid("lc-outage")));
        ASSERT_TRUE(r.has_value()) << r.error().diagnostic;
        EXPECT_EQ(r->entries.size(), 1u);
    }
}

TEST_F(LdapClientOutage, OperationsWaitForTheFirstConnection) {
    // Issued before start(): they wait for a connection instead of failing.
    auto o = options_for(slapd_);
    ldap::client c(pool_.get_executor(), o);
    auto pending = asio::co_spawn(pool_, c.search(by_uid("lc-outage")), asio::use_future);
    c.start();
    auto r = pending.get();
    ASSERT_TRUE(r.has_value()) << r.error().diagnostic;
    EXPECT_EQ(r->entries.size(), 1u);
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// The service's layout: one io_context per IO thread, the pool spread over them.

class LdapClientPerThreadContexts : public ::testing::Test {};

TEST_F(LdapClientPerThreadContexts, SearchesFromEachContextResumeOnTheirOwnThread) {
    slapd_launcher slapd;
    slapd.start();
    ldap_admin(slapd).apply_ldif(user_ldif("ctx-user"));
    asio::io_context first(1), second(1);
    auto work_first = asio::make_work_guard(first);
    auto work_second = asio::make_work_guard(second);
    std::thread first_thread([&] { first.run(); });
    std::thread second_thread([&] { second.run(); });
    {
        auto o = options_for(slapd);
        o.pool_size = 1;  // raised to one connection per context
        ldap::client c(
            std::vector<asio::any_io_executor>{first.get_executor(), second.get_executor()}, o);
        c.start();
        // Each search checks, after its answer, that it is back on the thread that asked.
        auto search_from = [&c](asio::io_context& io) {
            return asio::co_spawn(
                io,
                [&c, &io]() -> asio::awaitable<bool> {
                    auto request = by_uid("ctx-user");
                    auto r = co_await c.search(std::move(request));
                    co_return r.has_value() && r->entries.size() == 1 &&
                        io.get_executor().running_in_this_thread();
                },
                asio::use_future);
        };
        std::vector<std::future<bool>> answers;
        for (int i = 0; i < 200; ++i) {
            answers.push_back(search_from(i % 2 == 0 ? first : second));
        }
        for (std::size_t i = 0; i < answers.size(); ++i) {
            EXPECT_TRUE(answers[i].get()) << i;
        }
        c.stop();
    }
    // The contexts run until the client's clean-up is done. Stopping them instead left its
    // handlers queued, and destroying one context then destroyed connections bound to the
    // other, already destroyed one (a use-after-free valgrind showed, and heap corruption in
    // later tests).
    work_first.reset();
    work_second.reset();
    first_thread.join();
    second_thread.join();
}

class LdapClientFailover : public ::testing::Test {};

TEST_F(LdapClientFailover, ClosedFirstUriFailsOverToTheSecond) {
    slapd_launcher slapd;
    slapd.start();
    std::uint16_t closed_port = 0;
    {
        asio::io_context io;
        asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
        closed_port = probe.local_endpoint().port();
    }  // closed again: nothing listens there
    asio::thread_pool pool(2);
    {
        auto o = options_for(slapd);
        o.uris = {"ldap://127.0.0.1:" + std::to_string(closed_port), slapd.uri()};
        ldap::client c(pool.get_executor(), o);
        c.start();
        auto r = run(pool, c.extended(std::string(ldap::oids::who_am_i), std::nullopt));
        ASSERT_TRUE(r.has_value()) << r.error().diagnostic;
        EXPECT_EQ(r->value, "dn:" + std::string(slapd_launcher::service_dn));
        EXPECT_TRUE(c.connected());
    }
    pool.join();
}

}  // namespace
