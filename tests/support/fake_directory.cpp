#include "tests/support/fake_directory.hpp"

#include "tests/support/ber_tlv.hpp"
#include "tests/support/fake_filter.hpp"

#include "base/ascii_case.hpp"
#include "base/escape.hpp"
#include "bridge/ldap/controls.hpp"

#include <algorithm>
#include <cstdio>

namespace scimldap::testing {
namespace asio = boost::asio;
using ascii::iequals;

namespace {

constexpr int not_allowed_on_nonleaf = 66;
constexpr int protocol_error = 2;

const std::vector<std::string> operational = {"entryUUID",       "entryCSN", "createTimestamp",
                                              "modifyTimestamp", "memberOf", "pwdAccountLockedTime",
                                              "pwdEndTime"};
// The attributes slapd's memberof and refint overlays keep in step in this directory.
const std::vector<std::string> dn_references = {"member", "memberOf", "manager", "uniqueMember"};

bool is_one_of(std::string_view name, const std::vector<std::string>& names) {
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& n) { return iequals(n, name); });
}

ldap::op_error failure(int code, std::string diagnostic, std::string matched = {}) {
    return {ldap::make_error(code), std::move(diagnostic), std::move(matched)};
}

ldap::op_error failure(ldap::rc code, std::string diagnostic) {
    return failure(static_cast<int>(code), std::move(diagnostic));
}

std::string key(const ldap::dn& name) {
    return ldap::normalize_dn(name);
}

ldap::attribute* attribute_of(std::vector<ldap::attribute>& attributes, std::string_view name) {
    for (auto& a : attributes) {
        if (iequals(a.name, name)) {
            return &a;
        }
    }
    return nullptr;
}

bool same_value(std::string_view attribute, std::string_view a, std::string_view b) {
    if (is_one_of(attribute, dn_references)) {
        return ldap::normalize_dn(ldap::dn(std::string(a))) ==
               ldap::normalize_dn(ldap::dn(std::string(b)));
    }
    return iequals(a, b);
}

bool holds(const ldap::attribute& a, std::string_view value) {
    return std::any_of(a.values.begin(), a.values.end(),
                       [&](const std::string& v) { return same_value(a.name, v, value); });
}

void add_value(std::vector<ldap::attribute>& attributes, std::string_view name, std::string value) {
    if (auto* a = attribute_of(attributes, name)) {
        if (!holds(*a, value)) {
            a->values.push_back(std::move(value));
        }
        return;
    }
    attributes.push_back({std::string(name), {std::move(value)}});
}

void remove_value(std::vector<ldap::attribute>& attributes, std::string_view name,
                  std::string_view value) {
    if (auto* a = attribute_of(attributes, name)) {
        std::erase_if(a->values, [&](const std::string& v) { return same_value(name, v, value); });
    }
    std::erase_if(attributes, [](const ldap::attribute& a) { return a.values.empty(); });
}

std::vector<std::string> values_of(const std::vector<ldap::attribute>& attributes,
                                   std::string_view name) {
    for (const auto& a : attributes) {
        if (iequals(a.name, name)) {
            return a.values;
        }
    }
    return {};
}

/// The attribute list of a post-read request control: a SEQUENCE OF AttributeDescription.
std::vector<std::string> requested_attributes(const ldap::control& c) {
    std::vector<std::string> out;
    std::string_view in = c.value.value_or("");
    auto sequence = next_tlv(in);
    if (!sequence) {
        return out;
    }
    std::string_view rest = sequence->content;
    while (auto item = next_tlv(rest)) {
        out.emplace_back(item->content);
    }
    return out;
}

/// RFC 4527 §3.3: the response value is a SearchResultEntry.
std::string encode_entry(const ldap::entry& e) {
    std::string attributes;
    for (const auto& a : e.attributes) {
        std::string values;
        for (const auto& v : a.values) {
            values += make_tlv(0x04, v);
        }
        attributes += make_tlv(0x30, make_tlv(0x04, a.name) + make_tlv(0x31, values));
    }
    return make_tlv(0x64, make_tlv(0x04, e.name.str()) + make_tlv(0x30, attributes));
}

/// The entry as a search with these attributes returns it ("*": user attributes, "+":
/// operational ones; none: the DN only).
ldap::entry project(const ldap::dn& name, const std::vector<ldap::attribute>& all,
                    const std::vector<std::string>& wanted, bool count_values) {
    ldap::entry out{name, {}, {}};
    const bool user = is_one_of("*", wanted);
    const bool op = is_one_of("+", wanted);
    for (const auto& a : all) {
        const bool is_operational = is_one_of(a.name, operational);
        if (is_one_of(a.name, wanted) || (is_operational ? op : user)) {
            ldap::attribute copy = a;
            if (count_values) {
                copy.value_count = copy.values.size();
                copy.values.clear();
            }
            out.attributes.push_back(std::move(copy));
        }
    }
    return out;
}

/// Forwards to the directory: every session sees the same in-memory tree.
class fake_session final : public ldap::operations {
public:
    explicit fake_session(ldap::operations& to) : to_(to) {}
    asio::awaitable<ldap::result<ldap::search_result>> search(ldap::search_request r) override {
        return to_.search(std::move(r));
    }
    asio::awaitable<ldap::result<ldap::write_result>> add(ldap::dn n,
                                                          std::vector<ldap::attribute> a,
                                                          std::vector<ldap::control> c) override {
        return to_.add(std::move(n), std::move(a), std::move(c));
    }
    asio::awaitable<ldap::result<ldap::write_result>> modify(
        ldap::dn n, std::vector<ldap::modification> m, std::vector<ldap::control> c) override {
        return to_.modify(std::move(n), std::move(m), std::move(c));
    }
    asio::awaitable<ldap::result<ldap::write_result>> rename(
        ldap::dn n, std::string r, std::optional<ldap::dn> s, bool d,
        std::vector<ldap::control> c) override {
        return to_.rename(std::move(n), std::move(r), std::move(s), d, std::move(c));
    }
    asio::awaitable<ldap::result<ldap::write_result>> remove(
        ldap::dn n, std::vector<ldap::control> c) override {
        return to_.remove(std::move(n), std::move(c));
    }
    asio::awaitable<ldap::result<ldap::extended_result>> extended(
        std::string o, std::optional<std::string> v, std::vector<ldap::control> c) override {
        return to_.extended(std::move(o), std::move(v), std::move(c));
    }
    asio::awaitable<ldap::result<std::unique_ptr<ldap::operations>>> session() override {
        co_return std::unique_ptr<ldap::operations>(new fake_session(to_));
    }
    ldap::server_features features() const override { return to_.features(); }

private:
    ldap::operations& to_;
};

}  // namespace

// --- bookkeeping -----------------------------------------------------------------------------

std::optional<ldap::op_error> fake_directory::enter(fake_op op, const ldap::dn& target) {
    log_.push_back(op);
    for (auto& rule : failures_) {
        if (rule.op != op || rule.times == 0) {
            continue;
        }
        if (rule.skip > 0) {
            --rule.skip;
            continue;
        }
        --rule.times;
        return failure(rule.code, "injected by the test");
    }
    if (before) {
        before(op, target);
    }
    return std::nullopt;
}

void fake_directory::fail(fake_op op, ldap::rc code, int times, int skip) {
    failures_.push_back({op, code, times, skip});
}

std::size_t fake_directory::count(fake_op op) const {
    return static_cast<std::size_t>(std::count(log_.begin(), log_.end(), op));
}

fake_directory::stored* fake_directory::find(const ldap::dn& name) {
    const auto it = entries_.find(key(name));
    return it == entries_.end() ? nullptr : &it->second;
}

const fake_directory::stored* fake_directory::find(const ldap::dn& name) const {
    const auto it = entries_.find(key(name));
    return it == entries_.end() ? nullptr : &it->second;
}

bool fake_directory::has_children(const ldap::dn& name) const {
    return std::any_of(entries_.begin(), entries_.end(), [&](const auto& kv) {
        const auto parts = ldap::split_dn(kv.second.name);
        return parts && key(parts->parent) == key(name);
    });
}

void fake_directory::touch(stored& e) {
    char csn[64];
    std::snprintf(csn, sizeof csn, "20261206000000.%06lluZ#000000#000#000000",
                  static_cast<unsigned long long>(next_csn_++));
    for (const char* name : {"entryCSN", "modifyTimestamp"}) {
        std::erase_if(e.attributes,
                      [&](const ldap::attribute& a) { return iequals(a.name, name); });
    }
    e.attributes.push_back({"entryCSN", {csn}});
    e.attributes.push_back({"modifyTimestamp", {std::string(csn, 14) + "Z"}});
}

std::string fake_directory::put(ldap::dn name, std::vector<ldap::attribute> attributes) {
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "%08llx-0000-4000-8000-000000000000",
                  static_cast<unsigned long long>(next_uuid_++));
    stored e{std::move(name), std::move(attributes)};
    std::erase_if(e.attributes, [](const ldap::attribute& a) { return a.values.empty(); });
    e.attributes.push_back({"entryUUID", {uuid}});
    e.attributes.push_back({"createTimestamp", {"20261206000000Z"}});
    touch(e);
    const std::string k = key(e.name);
    entries_[k] = std::move(e);
    return uuid;
}

std::optional<ldap::entry> fake_directory::get(const ldap::dn& name) const {
    const auto* e = find(name);
    if (e == nullptr) {
        return std::nullopt;
    }
    return ldap::entry{e->name, e->attributes, {}};
}

std::vector<ldap::entry> fake_directory::below(const ldap::dn& base) const {
    std::vector<ldap::entry> out;
    for (const auto& [k, e] : entries_) {
        if (k != key(base) && ldap::is_within(e.name, base)) {
            out.push_back({e.name, e.attributes, {}});
        }
    }
    return out;
}

std::optional<ldap::op_error> fake_directory::check_assertion(
    const stored& target, const std::vector<ldap::control>& controls) const {
    const auto* c = ldap::find_control(controls, ldap::oids::assertion);
    if (c == nullptr) {
        return std::nullopt;
    }
    const auto condition = decode_ber_filter(c->value.value_or(""));
    if (!condition) {
        return failure(protocol_error, "assertion control does not decode");
    }
    if (!condition->matches(ldap::entry{target.name, target.attributes, {}})) {
        return failure(ldap::rc::assertion_failed, "assertion failed");
    }
    return std::nullopt;
}

ldap::write_result fake_directory::answer(const stored& target,
                                          const std::vector<ldap::control>& controls) const {
    ldap::write_result out;
    if (const auto* c = ldap::find_control(controls, ldap::oids::post_read)) {
        const auto shown = project(target.name, target.attributes, requested_attributes(*c), false);
        out.controls.push_back({std::string(ldap::oids::post_read), encode_entry(shown), false});
    }
    return out;
}

std::optional<ldap::op_error> fake_directory::check_schema(const stored& e) const {
    const auto classes = values_of(e.attributes, "objectClass");
    const bool group_of_names = std::any_of(
        classes.begin(), classes.end(), [](const auto& c) { return iequals(c, "groupOfNames"); });
    if (group_of_names && values_of(e.attributes, "member").empty()) {
        return failure(ldap::rc::object_class_violation,
                       "object class 'groupOfNames' requires attribute 'member'");
    }
    return std::nullopt;
}

void fake_directory::sync_member_of(const std::vector<std::string>& before, const stored& group) {
    const auto after = values_of(group.attributes, "member");
    auto in = [](const std::vector<std::string>& list, const std::string& v) {
        return std::any_of(list.begin(), list.end(),
                           [&](const std::string& x) { return same_value("member", x, v); });
    };
    for (const auto& m : before) {
        if (!in(after, m)) {
            if (auto* member = find(ldap::dn(m))) {
                remove_value(member->attributes, "memberOf", group.name.str());
            }
        }
    }
    for (const auto& m : after) {
        if (!in(before, m)) {
            if (auto* member = find(ldap::dn(m))) {
                add_value(member->attributes, "memberOf", group.name.str());
            }
        }
    }
}

void fake_directory::replace_references(const ldap::dn& from, const std::optional<ldap::dn>& to) {
    for (auto& [k, e] : entries_) {
        for (const auto& name : dn_references) {
            auto* a = attribute_of(e.attributes, name);
            if (a == nullptr || !holds(*a, from.str())) {
                continue;
            }
            remove_value(e.attributes, name, from.str());
            if (to) {
                add_value(e.attributes, name, to->str());
            }
        }
    }
}

std::optional<ldap::op_error> fake_directory::apply(
    stored& e, const std::vector<ldap::modification>& changes) {
    for (const auto& c : changes) {
        switch (c.op) {
            case ldap::mod_op::add:
                for (const auto& v : c.values) {
                    const auto* a = attribute_of(e.attributes, c.attribute);
                    if (a && holds(*a, v)) {
                        return failure(ldap::rc::type_or_value_exists,
                                       "modify/add: " + c.attribute + ": value #0 already exists");
                    }
                    add_value(e.attributes, c.attribute, v);
                }
                break;
            case ldap::mod_op::remove: {
                const auto* a = attribute_of(e.attributes, c.attribute);
                if (a == nullptr) {
                    return failure(ldap::rc::no_such_attribute,
                                   "modify/delete: " + c.attribute + ": no such attribute");
                }
                if (c.values.empty()) {
                    std::erase_if(e.attributes, [&](const ldap::attribute& x) {
                        return iequals(x.name, c.attribute);
                    });
                }
                for (const auto& v : c.values) {
                    const auto* now = attribute_of(e.attributes, c.attribute);
                    if (now == nullptr || !holds(*now, v)) {
                        return failure(ldap::rc::no_such_attribute,
                                       "modify/delete: " + c.attribute + ": no such value");
                    }
                    remove_value(e.attributes, c.attribute, v);
                }
                break;
            }
            case ldap::mod_op::replace:
                std::erase_if(e.attributes, [&](const ldap::attribute& x) {
                    return iequals(x.name, c.attribute);
                });
                if (!c.values.empty()) {
                    e.attributes.push_back({c.attribute, c.values});
                }
                break;
        }
    }
    return std::nullopt;
}

ldap::result<ldap::write_result> fake_directory::modify_now(
    const ldap::dn& name, std::vector<ldap::modification> changes) {
    auto* e = find(name);
    if (e == nullptr) {
        return failure(ldap::rc::no_such_object, "no such object");
    }
    stored changed = *e;
    if (auto failed = apply(changed, changes)) {
        return *failed;
    }
    if (auto failed = check_schema(changed)) {
        return *failed;
    }
    const auto members_before = values_of(e->attributes, "member");
    *e = std::move(changed);
    touch(*e);
    sync_member_of(members_before, *e);
    return ldap::write_result{};
}

ldap::result<fake_directory::stored*> fake_directory::writable(
    fake_op op, const ldap::dn& name, const std::vector<ldap::control>& controls) {
    if (auto failed = enter(op, name)) {
        return *failed;
    }
    auto* e = find(name);
    if (e == nullptr) {
        return failure(ldap::rc::no_such_object, "no such object");
    }
    if (auto failed = check_assertion(*e, controls)) {
        return *failed;
    }
    return e;
}

// --- the interface ---------------------------------------------------------------------------

asio::awaitable<ldap::result<ldap::search_result>> fake_directory::search(
    ldap::search_request request) {
    if (auto failed = enter(fake_op::search, request.base)) {
        co_return *failed;
    }
    if (find(request.base) == nullptr) {
        co_return failure(static_cast<int>(ldap::rc::no_such_object), "no such object");
    }
    const auto condition = parse_string_filter(request.filter);
    if (!condition) {
        co_return failure(protocol_error, "bad filter " + request.filter.str());
    }
    ldap::search_result out;
    for (const auto& [k, e] : entries_) {
        const auto parts = ldap::split_dn(e.name);
        bool in_scope = false;
        switch (request.scope) {
            case ldap::scope::base:
                in_scope = k == key(request.base);
                break;
            case ldap::scope::one:
                in_scope = parts && key(parts->parent) == key(request.base);
                break;
            case ldap::scope::sub:
                in_scope = ldap::is_within(e.name, request.base);
                break;
        }
        if (!in_scope || !condition->matches(ldap::entry{e.name, e.attributes, {}})) {
            continue;
        }
        out.entries.push_back(
            project(e.name, e.attributes, request.attributes, request.count_values));
        if (request.size_limit > 0 &&
            out.entries.size() >= static_cast<std::size_t>(request.size_limit)) {
            break;
        }
    }
    co_return out;
}

asio::awaitable<ldap::result<ldap::write_result>> fake_directory::add(
    ldap::dn name, std::vector<ldap::attribute> attributes, std::vector<ldap::control> controls) {
    if (auto failed = enter(fake_op::add, name)) {
        co_return *failed;
    }
    if (find(name) != nullptr) {
        co_return failure(ldap::rc::already_exists, "already exists");
    }
    const auto parts = ldap::split_dn(name);
    if (!parts || find(parts->parent) == nullptr) {
        co_return failure(ldap::rc::no_such_object, "no parent");
    }
    stored candidate{name, attributes};
    if (auto failed = check_schema(candidate)) {
        co_return *failed;
    }
    put(name, std::move(attributes));
    auto* e = find(name);
    sync_member_of({}, *e);
    co_return answer(*e, controls);
}

asio::awaitable<ldap::result<ldap::write_result>> fake_directory::modify(
    ldap::dn name, std::vector<ldap::modification> changes, std::vector<ldap::control> controls) {
    auto target = writable(fake_op::modify, name, controls);
    if (!target) {
        co_return target.error();
    }
    auto done = modify_now(name, std::move(changes));
    if (!done) {
        co_return done.error();
    }
    co_return answer(*find(name), controls);
}

asio::awaitable<ldap::result<ldap::write_result>> fake_directory::rename(
    ldap::dn name, std::string new_rdn, std::optional<ldap::dn> new_superior, bool delete_old_rdn,
    std::vector<ldap::control> controls) {
    auto target = writable(fake_op::rename, name, controls);
    if (!target) {
        co_return target.error();
    }
    auto* e = *target;
    if (has_children(name)) {
        co_return failure(not_allowed_on_nonleaf, "subtree rename not supported");
    }
    const auto parts = ldap::split_dn(name);
    const ldap::dn parent = new_superior.value_or(parts->parent);
    if (find(parent) == nullptr) {
        co_return failure(ldap::rc::no_such_object, "no new superior");
    }
    const ldap::dn renamed(new_rdn + "," + parent.str());
    const auto* other = find(renamed);
    if (other != nullptr && other != e) {
        co_return failure(ldap::rc::already_exists, "already exists");
    }
    stored moved = *e;
    moved.name = renamed;
    const std::string attribute = new_rdn.substr(0, new_rdn.find('='));
    if (delete_old_rdn) {
        if (const auto old = ldap::rdn_value(parts->rdn, attribute)) {
            remove_value(moved.attributes, attribute, *old);
        }
    }
    if (const auto value = ldap::rdn_value(new_rdn, attribute)) {
        add_value(moved.attributes, attribute, *value);
    }
    touch(moved);
    entries_.erase(key(name));
    entries_[key(renamed)] = moved;
    replace_references(name, renamed);
    co_return answer(*find(renamed), controls);
}

asio::awaitable<ldap::result<ldap::write_result>> fake_directory::remove(
    ldap::dn name, std::vector<ldap::control> controls) {
    auto target = writable(fake_op::remove, name, controls);
    if (!target) {
        co_return target.error();
    }
    if (has_children(name)) {
        co_return failure(not_allowed_on_nonleaf, "has children");
    }
    entries_.erase(key(name));
    replace_references(name, std::nullopt);
    co_return ldap::write_result{};
}

asio::awaitable<ldap::result<ldap::extended_result>> fake_directory::extended(
    std::string oid, std::optional<std::string> value, std::vector<ldap::control>) {
    if (oid != ldap::oids::password_modify) {
        co_return failure(protocol_error, "unsupported extended operation " + oid);
    }
    // RFC 3062: SEQUENCE { userIdentity [0], oldPasswd [1], newPasswd [2] }, all optional.
    std::string_view in = value.value_or("");
    std::string user;
    std::string password;
    if (auto sequence = next_tlv(in)) {
        std::string_view rest = sequence->content;
        while (auto item = next_tlv(rest)) {
            if (item->tag == 0x80) {
                user = std::string(item->content);
            } else if (item->tag == 0x82) {
                password = std::string(item->content);
            }
        }
    }
    if (auto failed = enter(fake_op::extended, ldap::dn(user))) {
        co_return *failed;
    }
    auto* e = find(ldap::dn(user));
    if (e == nullptr) {
        co_return failure(ldap::rc::no_such_object, "no such user");
    }
    // ppolicy: setting a password clears the lock.
    std::erase_if(e->attributes, [](const ldap::attribute& a) {
        return iequals(a.name, "userPassword") || iequals(a.name, "pwdAccountLockedTime");
    });
    e->attributes.push_back({"userPassword", {"{FAKE}" + password}});
    touch(*e);
    co_return ldap::extended_result{};
}

asio::awaitable<ldap::result<std::unique_ptr<ldap::operations>>> fake_directory::session() {
    co_return std::unique_ptr<ldap::operations>(new fake_session(*this));
}

}  // namespace scimldap::testing
