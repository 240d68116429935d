#include "bridge/scim/audit_trail.hpp"

#include "base/ascii_case.hpp"
#include "base/escape.hpp"
#include "base/result_code.hpp"
#include "base/utf8.hpp"
#include "mapping/base64.hpp"
#include "mapping/profile.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

namespace scimldap::scim {

namespace json = boost::json;

namespace {

std::string_view action_of(ldap::mod_op op) {
    switch (op) {
        case ldap::mod_op::add:
            return "add";
        case ldap::mod_op::remove:
            return "delete";
        case ldap::mod_op::replace:
            return "replace";
    }
    return "replace";
}

/// The DN a rename gives: the new RDN under the new superior, or under the old parent.
ldap::dn renamed_dn(const ldap::dn& name, std::string_view new_rdn,
                    const std::optional<ldap::dn>& new_superior) {
    std::optional<ldap::dn> parent = new_superior;
    if (!parent) {
        if (auto parts = ldap::split_dn(name)) {
            parent = parts->parent;
        }
    }
    std::string out(new_rdn);
    if (parent && !parent->empty()) {
        out.append(",").append(parent->str());
    }
    return ldap::dn(std::move(out));
}

bool same_dn(const ldap::dn& a, const ldap::dn& b) {
    return ldap::normalize_dn(a) == ldap::normalize_dn(b);
}

json::object to_json(const audited_change& c) {
    json::object o{{"attribute", c.attribute}, {"action", c.action}};
    if (c.secret) {
        o["values"] = "withheld";
        return o;
    }
    json::array values;
    for (const auto& v : c.values) {
        values.emplace_back(v);
    }
    o["values"] = std::move(values);
    if (c.base64) {
        o["encoding"] = "base64";
    }
    if (c.values_left_out > 0) {
        o["values_left_out"] = c.values_left_out;
    }
    return o;
}

json::object to_json(const audited_operation& op) {
    json::object o{{"op", op.op}, {"dn", op.name.str()}};
    if (op.new_name) {
        o["new_dn"] = op.new_name->str();
    }
    if (!op.changes.empty()) {
        json::array changes;
        for (const auto& c : op.changes) {
            changes.emplace_back(to_json(c));
        }
        o["changes"] = std::move(changes);
    }
    if (op.ldap_code) {
        o["ldap_code"] = *op.ldap_code;
        o["ldap_result"] = ldap::result_name(*op.ldap_code);
    } else {
        o["ldap_result"] = nullptr;  // no answer before the request ended
    }
    return o;
}

}  // namespace

void audit_trail::open(std::string resource_type, std::string id,
                       std::shared_ptr<const mapping::profile> profile) {
    open_ = true;
    resource_type_ = std::move(resource_type);
    id_ = std::move(id);
    profile_ = std::move(profile);
}

void audit_trail::found(const ldap::dn& name, std::string_view id) {
    if (open_ && !dn_ && !id_.empty() && ascii::iequals(id, id_)) {
        dn_ = name;
    }
}

void audit_trail::created(const ldap::dn& name, std::string id) {
    if (open_) {
        dn_ = name;
        id_ = std::move(id);
    }
}

audited_change audit_trail::change(std::string attribute, std::string action,
                                   const std::vector<std::string>& values) const {
    audited_change c{std::move(attribute), std::move(action), {}, false, false, 0};
    if (profile_ == nullptr || profile_->is_secret(c.attribute)) {
        // No profile to ask: nothing is known to be harmless.
        c.secret = !values.empty();
        return c;
    }
    const std::size_t kept = std::min(values.size(), max_audited_values);
    c.values_left_out = values.size() - kept;
    c.base64 = !std::all_of(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(kept),
                            [](const std::string& v) { return ldap::is_utf8(v); });
    c.values.reserve(kept);
    for (std::size_t i = 0; i < kept; ++i) {
        c.values.push_back(c.base64 ? mapping::base64_encode(values[i]) : values[i]);
    }
    return c;
}

std::size_t audit_trail::push(audited_operation op) {
    operations_.push_back(std::move(op));
    return operations_.size() - 1;
}

std::size_t audit_trail::add(const ldap::dn& name, const std::vector<ldap::attribute>& attributes) {
    if (id_.empty() && !dn_) {
        dn_ = name;  // a create's first add is its entry, named even when the add is refused
    }
    audited_operation op{"add", name, std::nullopt, {}, std::nullopt};
    for (const auto& a : attributes) {
        op.changes.push_back(change(a.name, "add", a.values));
    }
    return push(std::move(op));
}

std::size_t audit_trail::modify(const ldap::dn& name,
                                const std::vector<ldap::modification>& changes) {
    audited_operation op{"modify", name, std::nullopt, {}, std::nullopt};
    for (const auto& m : changes) {
        op.changes.push_back(change(m.attribute, std::string(action_of(m.op)), m.values));
    }
    return push(std::move(op));
}

std::size_t audit_trail::rename(const ldap::dn& name, std::string_view new_rdn,
                                const std::optional<ldap::dn>& new_superior) {
    return push({"rename", name, renamed_dn(name, new_rdn, new_superior), {}, std::nullopt});
}

std::size_t audit_trail::remove(const ldap::dn& name) {
    return push({"delete", name, std::nullopt, {}, std::nullopt});
}

std::size_t audit_trail::password(const ldap::dn& name, std::string_view attribute) {
    audited_operation op{"passwordModify", name, std::nullopt, {}, std::nullopt};
    op.changes.push_back({std::string(attribute), "replace", {}, true, false, 0});
    return push(std::move(op));
}

void audit_trail::finish(std::size_t index, int ldap_code) {
    if (index >= operations_.size()) {
        return;
    }
    audited_operation& op = operations_[index];
    op.ldap_code = ldap_code;
    if (ldap_code != 0 || op.op != "rename" || !op.new_name) {
        return;
    }
    // The subject moved (a new userName, an archive), or moved back (a failed write's undo).
    const ldap::dn& now = new_dn_ ? *new_dn_ : (dn_ ? *dn_ : op.name);
    if (!same_dn(op.name, now)) {
        return;
    }
    if (!dn_) {
        dn_ = op.name;
    }
    // Exact text: a new userName that differs only in case is a move too.
    if (op.new_name->str() == dn_->str()) {
        new_dn_.reset();
    } else {
        new_dn_ = op.new_name;
    }
}

void audit_trail::add_part(audit_trail part, bulk_operation_info info) {
    part.bulk_ = std::move(info);
    part.profile_.reset();  // not needed once recorded
    parts_.push_back(std::move(part));
}

void audit_trail::append_json(json::object& line) const {
    if (bulk_) {
        line["method"] = bulk_->method;
        line["endpoint"] =
            bulk_->endpoint.empty() ? json::value(nullptr) : json::value(bulk_->endpoint);
        line["status"] = bulk_->status;
        line["bulk_index"] = bulk_->index;
        if (!bulk_->bulk_id.empty()) {
            line["bulk_id"] = ldap::well_formed_utf8(bulk_->bulk_id);
        }
    }
    line["resource_type"] = resource_type_;
    // The id comes from the path, percent-decoded: any bytes. JSON text must be UTF-8.
    line["id"] = id_.empty() ? json::value(nullptr) : json::value(ldap::well_formed_utf8(id_));
    line["dn"] = dn_ ? json::value(dn_->str()) : json::value(nullptr);
    if (new_dn_) {
        line["new_dn"] = new_dn_->str();
    }
    json::array ops;
    for (const auto& op : operations_) {
        ops.emplace_back(to_json(op));
    }
    line["operations"] = std::move(ops);
    if (operations_.empty()) {
        return;
    }
    // The first failure is the result of a request that failed: a clean-up after it (an undone
    // rename, a removed half-made entry) succeeds but does not make the request a success. A
    // request that succeeded handled its failed steps (a group's last member swapped for the
    // placeholder, a value already gone): its result is success, its steps show the rest.
    const auto* status = line.if_contains("status");
    const bool succeeded =
        status != nullptr && ((status->is_uint64() && status->as_uint64() < 400) ||
                              (status->is_int64() && status->as_int64() < 400));
    const auto failed = std::find_if(operations_.begin(), operations_.end(),
                                     [](const auto& op) { return op.ldap_code.value_or(0) != 0; });
    const auto& decisive =
        (failed != operations_.end() && !succeeded) ? *failed : operations_.back();
    if (decisive.ldap_code) {
        const int code = succeeded ? 0 : *decisive.ldap_code;
        line["ldap_code"] = code;
        line["ldap_result"] = ldap::result_name(code);
    }
}

}  // namespace scimldap::scim
