#include "tests/faults/mixed_client.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <charconv>

namespace scimldap::faults {

namespace asio = boost::asio;
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

constexpr const char* user_schema = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* group_schema = "urn:ietf:params:scim:schemas:core:2.0:Group";
constexpr const char* patch_schema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

bool failed(const http_outcome& outcome) {
    return outcome.status == 0 || outcome.status >= 500;
}

// How long to wait before retrying: the server's Retry-After, kept between 0.2 and 2 s so a run
// keeps moving (IdPs wait longer; the outcome is the same).
std::chrono::milliseconds retry_delay(const http_outcome& outcome) {
    double seconds = 0.5;
    const auto& text = outcome.retry_after;
    if (!text.empty()) {
        std::from_chars(text.data(), text.data() + text.size(), seconds);
    }
    return std::chrono::milliseconds(static_cast<long>(std::clamp(seconds, 0.2, 2.0) * 1000));
}

std::string id_of(const http_outcome& outcome) {
    try {
        const auto body = json::parse(outcome.body);
        if (const auto* id = body.as_object().if_contains("id")) {
            return std::string(id->as_string());
        }
    } catch (const std::exception&) {
    }
    return {};
}

std::string patch_body(json::array operations) {
    return json::serialize(json::object{{"schemas", json::array{patch_schema}},
                                        {"Operations", std::move(operations)}});
}

std::string url_encode(const std::string& text) {
    return boost::urls::encode(text, boost::urls::unreserved_chars);
}

}  // namespace

mixed_client::mixed_client(run_context& run, http_connection connection, unsigned index,
                           std::uint64_t seed)
    : run_(run), connection_(std::move(connection)), index_(index), random_(seed) {}

bool mixed_client::chance(double p) {
    return std::bernoulli_distribution(p)(random_);
}

std::size_t mixed_client::pick(std::size_t size) {
    return std::uniform_int_distribution<std::size_t>(0, size - 1)(random_);
}

json::value mixed_client::random_user_type() {
    if (run_.user_types.empty() || chance(0.2)) {
        return nullptr;
    }
    return json::string(run_.user_types[pick(run_.user_types.size())]);
}

journal_request mixed_client::request(std::string op, std::string kind, std::string key,
                                      std::string method, std::string target) const {
    journal_request r;
    r.client = index_;
    r.op = std::move(op);
    r.kind = std::move(kind);
    r.key = std::move(key);
    r.method = std::move(method);
    r.target = std::move(target);
    return r;
}

asio::awaitable<void> mixed_client::run() {
    while (std::chrono::steady_clock::now() < run_.stop_at) {
        const double r = std::uniform_real_distribution<double>(0, 1)(random_);
        if (users_.size() < 2 || r < 0.20) {
            co_await create_user();
        } else if (r < 0.33) {
            co_await patch_user();
        } else if (r < 0.41) {
            co_await put_user();
        } else if (r < 0.47) {
            co_await delete_user();
        } else if (r < 0.65) {
            co_await get_user();
        } else if (groups_.empty() || r < 0.71) {
            co_await create_group();
        } else {
            co_await change_member(chance(0.6));
        }
    }
    connection_.close();
}

// Sends the request, and again while it fails (5xx or no answer), as an IdP would.
asio::awaitable<http_outcome> mixed_client::send(journal_request r) {
    const auto method = r.method == "POST"     ? verb::post
                        : r.method == "PATCH"  ? verb::patch
                        : r.method == "PUT"    ? verb::put
                        : r.method == "DELETE" ? verb::delete_
                                               : verb::get;
    const bool write = method != verb::get;
    for (;;) {
        http_outcome outcome = co_await connection_.exchange(method, r.target, r.body);
        run_.record->write(r, outcome);
        ++run_.requests;
        ++run_.statuses[outcome.status];
        run_.connection_errors += outcome.connection_error ? 1 : 0;
        run_.timeouts += outcome.timed_out ? 1 : 0;
        run_.missing_retry_after += outcome.status == 503 && outcome.retry_after.empty() ? 1 : 0;
        run_.max_latency_s = std::max(run_.max_latency_s, outcome.answered_at - outcome.sent_at);
        if (!write || !failed(outcome) || r.attempt >= run_.max_attempts) {
            co_return outcome;
        }
        asio::steady_timer wait(co_await asio::this_coro::executor, retry_delay(outcome));
        co_await wait.async_wait(asio::use_awaitable);
        ++r.attempt;
    }
}

asio::awaitable<void> mixed_client::create_user() {
    const std::string name =
        run_.prefix + "c" + std::to_string(index_) + "u" + std::to_string(next_user_++);
    const std::string title = "title" + std::to_string(pick(1000));
    const json::value user_type = random_user_type();
    const bool active = chance(0.85);
    json::object body{{"schemas", json::array{user_schema}},
                      {"userName", name},
                      {"name", json::object{{"givenName", "Load"}, {"familyName", name}}},
                      {"displayName", "Load " + name},
                      {"title", title},
                      {"active", active}};
    json::object effect{{"displayName", "Load " + name},
                        {"title", title},
                        {"userType", user_type},
                        {"active", active}};
    if (!user_type.is_null()) {
        body["userType"] = user_type;
    }
    if (run_.passwords) {
        const std::string password = "Pw-" + std::to_string(random_()) + "!x";
        body["password"] = password;
        effect["password"] = password;
    }
    auto r = request("create_user", "user", name, "POST", "/scim/v2/Users");
    r.body = json::serialize(body);
    r.effect = std::move(effect);
    const auto outcome = co_await send(std::move(r));
    if (outcome.status == 201) {
        users_.push_back({name, id_of(outcome)});
        names_by_id_[users_.back().id] = name;
    } else if (outcome.status == 409 || failed(outcome)) {
        // An earlier attempt may have created it: the IdP's lookup links it.
        co_await lookup_user(name);
    }
}

asio::awaitable<void> mixed_client::lookup_user(const std::string& name) {
    const std::string filter = "userName eq \"" + name + "\"";
    const auto outcome = co_await send(
        request("lookup_user", "user", name, "GET", "/scim/v2/Users?filter=" + url_encode(filter)));
    if (outcome.status != 200) {
        co_return;
    }
    try {
        const auto body = json::parse(outcome.body);
        for (const auto& resource : body.at("Resources").as_array()) {
            const std::string id(resource.at("id").as_string());
            users_.push_back({name, id});
            names_by_id_[id] = name;
        }
    } catch (const std::exception&) {
    }
}

asio::awaitable<void> mixed_client::patch_user() {
    const auto at = pick(users_.size());
    json::array operations;
    json::object effect;
    const auto replace = [&](const char* path, json::value value) {
        operations.push_back(json::object{{"op", "replace"}, {"path", path}, {"value", value}});
        effect[path] = std::move(value);
    };
    if (chance(0.6)) {
        replace("title", json::string("title" + std::to_string(pick(1000))));
    }
    if (chance(0.4)) {
        replace("displayName", json::string("Patched " + std::to_string(pick(1000))));
    }
    if (chance(0.3)) {
        replace("active", chance(0.5));
    }
    if (chance(0.3)) {
        const json::value user_type = random_user_type();
        if (user_type.is_null()) {
            operations.push_back(json::object{{"op", "remove"}, {"path", "userType"}});
            effect["userType"] = nullptr;
        } else {
            replace("userType", user_type);
        }
    }
    if (run_.passwords && chance(0.2)) {
        replace("password", json::string("Pw-" + std::to_string(random_()) + "!p"));
    }
    if (operations.empty()) {
        replace("title", json::string("title" + std::to_string(pick(1000))));
    }
    auto r =
        request("patch_user", "user", users_[at].name, "PATCH", "/scim/v2/Users/" + users_[at].id);
    r.body = patch_body(std::move(operations));
    r.effect = std::move(effect);
    const auto outcome = co_await send(std::move(r));
    if (outcome.status == 404) {
        forget_user(at);
    }
}

asio::awaitable<void> mixed_client::put_user() {
    const auto at = pick(users_.size());
    const auto& u = users_[at];
    const std::string title = "title" + std::to_string(pick(1000));
    const std::string display = "Put " + std::to_string(pick(1000));
    const json::value user_type = random_user_type();
    const bool active = chance(0.85);
    json::object body{{"schemas", json::array{user_schema}},
                      {"userName", u.name},
                      {"name", json::object{{"givenName", "Load"}, {"familyName", u.name}}},
                      {"displayName", display},
                      {"title", title},
                      {"active", active}};
    if (!user_type.is_null()) {
        body["userType"] = user_type;
    }
    auto r = request("put_user", "user", u.name, "PUT", "/scim/v2/Users/" + u.id);
    r.body = json::serialize(body);
    r.effect = json::object{
        {"displayName", display}, {"title", title}, {"userType", user_type}, {"active", active}};
    const auto outcome = co_await send(std::move(r));
    if (outcome.status == 404) {
        forget_user(at);
    }
}

asio::awaitable<void> mixed_client::delete_user() {
    const auto at = pick(users_.size());
    const auto outcome = co_await send(request("delete_user", "user", users_[at].name, "DELETE",
                                               "/scim/v2/Users/" + users_[at].id));
    if (outcome.status == 204 || outcome.status == 404) {
        forget_user(at);
    }
}

void mixed_client::forget_user(std::size_t at) {
    for (auto& g : groups_) {
        g.member_ids.erase(users_[at].id);
    }
    users_.erase(users_.begin() + static_cast<std::ptrdiff_t>(at));
}

asio::awaitable<void> mixed_client::get_user() {
    const auto& u = users_[pick(users_.size())];
    if (chance(0.5)) {
        co_await send(request("get_user", "user", u.name, "GET", "/scim/v2/Users/" + u.id));
    } else {
        const std::string filter = "userName eq \"" + u.name + "\"";
        co_await send(request("get_user", "user", u.name, "GET",
                              "/scim/v2/Users?filter=" + url_encode(filter)));
    }
}

asio::awaitable<void> mixed_client::create_group() {
    const std::string name =
        run_.prefix + "c" + std::to_string(index_) + "g" + std::to_string(next_group_++);
    json::array members;
    json::array member_names;
    std::set<std::string> ids;
    for (std::size_t i = 0, n = std::min<std::size_t>(pick(3), users_.size()); i < n; ++i) {
        const auto& u = users_[pick(users_.size())];
        if (ids.insert(u.id).second) {
            members.push_back(json::object{{"value", u.id}});
            member_names.push_back(json::string(u.name));
        }
    }
    auto r = request("create_group", "group", name, "POST", "/scim/v2/Groups");
    r.body = json::serialize(json::object{{"schemas", json::array{group_schema}},
                                          {"displayName", name},
                                          {"members", std::move(members)}});
    r.effect = json::object{{"members", std::move(member_names)}};
    const auto outcome = co_await send(std::move(r));
    std::string id = outcome.status == 201 ? id_of(outcome) : std::string();
    if (outcome.status == 409 || failed(outcome)) {
        const std::string filter = "displayName eq \"" + name + "\"";
        const auto found = co_await send(
            request("lookup_group", "group", name, "GET",
                    "/scim/v2/Groups?excludedAttributes=members&filter=" + url_encode(filter)));
        if (found.status == 200) {
            try {
                const auto body = json::parse(found.body);
                const auto& resources = body.at("Resources").as_array();
                if (!resources.empty()) {
                    id = std::string(resources.front().at("id").as_string());
                }
            } catch (const std::exception&) {
            }
        }
        // Its members are unknown after a failure: the client only adds from here on.
        ids.clear();
    }
    if (!id.empty()) {
        groups_.push_back({name, id, std::move(ids)});
    }
}

asio::awaitable<void> mixed_client::change_member(bool add) {
    auto& g = groups_[pick(groups_.size())];
    std::string user_id;
    if (add) {
        const auto& u = users_[pick(users_.size())];
        if (g.member_ids.contains(u.id)) {
            co_return;
        }
        user_id = u.id;
    } else {
        if (g.member_ids.empty()) {
            co_return;
        }
        auto it = g.member_ids.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(pick(g.member_ids.size())));
        user_id = *it;
    }
    const std::string name = names_by_id_[user_id];
    auto r = request(add ? "add_member" : "remove_member", "group", g.name, "PATCH",
                     "/scim/v2/Groups/" + g.id);
    json::array operations;
    if (add) {
        operations.push_back(
            json::object{{"op", "add"},
                         {"path", "members"},
                         {"value", json::array{json::object{{"value", user_id}}}}});
    } else {
        operations.push_back(
            json::object{{"op", "remove"}, {"path", "members[value eq \"" + user_id + "\"]"}});
    }
    r.body = patch_body(std::move(operations));
    r.effect = json::object{{add ? "add" : "remove", json::array{json::string(name)}}};
    const std::string group_id = g.id;
    const auto outcome = co_await send(std::move(r));
    if (outcome.status / 100 == 2) {
        for (auto& each : groups_) {
            if (each.id == group_id) {
                if (add) {
                    each.member_ids.insert(user_id);
                } else {
                    each.member_ids.erase(user_id);
                }
            }
        }
    }
}

}  // namespace scimldap::faults
