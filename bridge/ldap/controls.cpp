// Control values are encoded and decoded by libldap's own BER code wherever it has it; the few
// libldap lacks (pre/post-read, password modify, transaction end) are small ber_printf calls.
#include "bridge/ldap/controls.hpp"

#include <lber.h>
#include <ldap.h>

#include <memory>

namespace scimldap::ldap {
namespace {

/// libldap's encoders want an LDAP* only for error reporting and BER options: one unconnected
/// handle per thread serves them (ld_errno is per handle, so no sharing across threads).
LDAP* scratch_handle() {
    struct holder {
        LDAP* ld = nullptr;
        holder() { ldap_create(&ld); }
        ~holder() {
            if (ld != nullptr) {
                ldap_unbind_ext(ld, nullptr, nullptr);
            }
        }
    };
    thread_local holder h;
    return h.ld;
}

op_error error(int code, std::string detail) {
    return {make_error(code), std::move(detail), {}};
}

std::string take(berval& bv) {
    std::string out(bv.bv_val != nullptr ? bv.bv_val : "", bv.bv_len);
    ber_memfree(bv.bv_val);
    bv = {};
    return out;
}

berval view(std::string_view s) {
    return {static_cast<ber_len_t>(s.size()), const_cast<char*>(s.data())};
}

/// A null-terminated char* array over strings the caller keeps alive.
std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const auto& s : strings) {
        out.push_back(const_cast<char*>(s.c_str()));
    }
    out.push_back(nullptr);
    return out;
}

/// An LDAPControl viewing one of ours, for libldap's parsers.
struct c_control {
    explicit c_control(const control& c) : oid_(c.oid), value_(c.value.value_or(std::string())) {
        raw.ldctl_oid = oid_.data();
        raw.ldctl_value = view(value_);
        raw.ldctl_iscritical = c.critical ? 1 : 0;
    }
    LDAPControl raw{};

private:
    std::string oid_;
    std::string value_;
};

struct ber_deleter {
    void operator()(BerElement* ber) const { ber_free(ber, 1); }
};
using ber_ptr = std::unique_ptr<BerElement, ber_deleter>;

std::string flatten(BerElement* ber) {
    berval bv{};
    if (ber_flatten2(ber, &bv, 0) != 0) {
        return {};
    }
    return std::string(bv.bv_val, bv.bv_len);
}

control make(std::string_view oid, std::optional<std::string> value, bool critical) {
    return control{std::string(oid), std::move(value), critical};
}

result<const control*> require(const std::vector<control>& controls, std::string_view oid) {
    const control* c = find_control(controls, oid);
    if (c == nullptr) {
        return error(LDAP_CONTROL_NOT_FOUND, "response control " + std::string(oid) + " absent");
    }
    return c;
}

control read_control(std::string_view oid, const std::vector<std::string>& attributes,
                     bool critical) {
    // RFC 4527 §3.1: the value is a SEQUENCE OF AttributeDescription.
    ber_ptr ber(ber_alloc_t(LBER_USE_DER));
    auto names = c_strings(attributes);
    ber_printf(ber.get(), "{v}", names.data());
    return make(oid, flatten(ber.get()), critical);
}

}  // namespace

namespace controls {

result<control> assertion(const filter& condition, bool critical) {
    berval value{};
    std::string text = condition.str();
    int rc = ldap_create_assertion_control_value(scratch_handle(), text.data(), &value);
    if (rc != LDAP_SUCCESS) {
        // libldap reports a malformed filter as an encoding error: for the caller it is the filter.
        return error(LDAP_FILTER_ERROR, "assertion filter " + text + " is not a valid filter");
    }
    return make(oids::assertion, take(value), critical);
}

control post_read(const std::vector<std::string>& attributes, bool critical) {
    return read_control(oids::post_read, attributes, critical);
}

control pre_read(const std::vector<std::string>& attributes, bool critical) {
    return read_control(oids::pre_read, attributes, critical);
}

result<control> paged_results(int page_size, std::string_view cookie, bool critical) {
    berval value{};
    berval c = view(cookie);
    int rc = ldap_create_page_control_value(scratch_handle(), page_size, &c, &value);
    if (rc != LDAP_SUCCESS) {
        return error(rc, "paged results control cannot be encoded");
    }
    return make(oids::paged_results, take(value), critical);
}

result<control> server_sort(const std::vector<sort_key>& keys, bool critical) {
    if (keys.empty()) {
        return error(LDAP_PARAM_ERROR, "a server-side sort needs at least one key");
    }
    std::vector<LDAPSortKey> storage(keys.size());
    std::vector<LDAPSortKey*> list;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        storage[i].attributeType = const_cast<char*>(keys[i].attribute.c_str());
        storage[i].orderingRule = keys[i].ordering_rule.empty()
                                      ? nullptr
                                      : const_cast<char*>(keys[i].ordering_rule.c_str());
        storage[i].reverseOrder = keys[i].reverse ? 1 : 0;
        list.push_back(&storage[i]);
    }
    list.push_back(nullptr);
    berval value{};
    int rc = ldap_create_sort_control_value(scratch_handle(), list.data(), &value);
    if (rc != LDAP_SUCCESS) {
        return error(rc, "server-side sort control cannot be encoded");
    }
    return make(oids::sort_request, take(value), critical);
}

result<control> vlv(const vlv_request& request, bool critical) {
    const std::string target_text = request.target_value.value_or(std::string());
    const std::string context_text = request.context_id.value_or(std::string());
    berval target = view(target_text);
    berval context = view(context_text);
    LDAPVLVInfo info{};
    info.ldvlv_version = 1;
    info.ldvlv_before_count = request.before_count;
    info.ldvlv_after_count = request.after_count;
    info.ldvlv_offset = request.offset;
    info.ldvlv_count = request.content_count;
    info.ldvlv_attrvalue = request.target_value ? &target : nullptr;
    info.ldvlv_context = request.context_id ? &context : nullptr;
    berval value{};
    int rc = ldap_create_vlv_control_value(scratch_handle(), &info, &value);
    if (rc != LDAP_SUCCESS) {
        return error(rc, "virtual list view control cannot be encoded");
    }
    return make(oids::vlv_request, take(value), critical);
}

result<control> deref(const std::vector<deref_spec>& specs, bool critical) {
    std::vector<std::vector<char*>> names;
    std::vector<LDAPDerefSpec> list;
    names.reserve(specs.size());
    for (const auto& s : specs) {
        names.push_back(c_strings(s.attributes));
        list.push_back({const_cast<char*>(s.deref_attribute.c_str()), names.back().data()});
    }
    list.push_back({nullptr, nullptr});
    berval value{};
    int rc = ldap_create_deref_control_value(scratch_handle(), list.data(), &value);
    if (rc != LDAP_SUCCESS) {
        return error(rc, "dereference control cannot be encoded");
    }
    return make(oids::deref, take(value), critical);
}

result<control> matched_values(const std::string& values_filter, bool critical) {
    ber_ptr ber(ber_alloc_t(LBER_USE_DER));
    if (ldap_put_vrFilter(ber.get(), values_filter.c_str()) != 0) {
        return error(LDAP_FILTER_ERROR, "values return filter " + values_filter + " is not valid");
    }
    return make(oids::matched_values, flatten(ber.get()), critical);
}

control permissive_modify(bool critical) {
    return make(oids::permissive_modify, {}, critical);
}

control txn_spec(std::string_view txn_id) {
    // RFC 5805 §2.2: criticality TRUE, value = the identifier as is.
    return make(oids::txn_spec, std::string(txn_id), true);
}

result<paged_response> parse_paged_results(const std::vector<control>& response_controls) {
    auto found = require(response_controls, oids::paged_results);
    if (!found) {
        return found.error();
    }
    c_control c(**found);
    ber_int_t estimate = 0;
    berval cookie{};
    int rc = ldap_parse_pageresponse_control(scratch_handle(), &c.raw, &estimate, &cookie);
    if (rc != LDAP_SUCCESS) {
        return error(rc, "paged results response cannot be decoded");
    }
    return paged_response{estimate, take(cookie)};
}

result<sort_response> parse_server_sort(const std::vector<control>& response_controls) {
    auto found = require(response_controls, oids::sort_response);
    if (!found) {
        return found.error();
    }
    c_control c(**found);
    ber_int_t code = 0;
    char* attr = nullptr;
    int rc = ldap_parse_sortresponse_control(scratch_handle(), &c.raw, &code, &attr);
    if (rc != LDAP_SUCCESS) {
        return error(rc, "server-side sort response cannot be decoded");
    }
    sort_response out{code, attr != nullptr ? attr : ""};
    ldap_memfree(attr);
    return out;
}

result<vlv_response> parse_vlv(const std::vector<control>& response_controls) {
    auto found = require(response_controls, oids::vlv_response);
    if (!found) {
        return found.error();
    }
    c_control c(**found);
    ber_int_t position = 0;
    ber_int_t count = 0;
    berval* context = nullptr;
    int code = 0;
    int rc = ldap_parse_vlvresponse_control(scratch_handle(), &c.raw, &position, &count, &context,
                                            &code);
    if (rc != LDAP_SUCCESS) {
        return error(rc, "virtual list view response cannot be decoded");
    }
    vlv_response out{position, count, code, std::nullopt};
    if (context != nullptr) {
        out.context_id = std::string(context->bv_val, context->bv_len);
        ber_bvfree(context);
    }
    return out;
}

result<std::vector<deref_value>> parse_deref(const std::vector<control>& entry_controls) {
    auto found = require(entry_controls, oids::deref);
    if (!found) {
        return found.error();
    }
    c_control c(**found);
    LDAPDerefRes* res = nullptr;
    int rc = ldap_parse_derefresponse_control(scratch_handle(), &c.raw, &res);
    if (rc != LDAP_SUCCESS) {
        return error(rc, "dereference response cannot be decoded");
    }
    std::vector<deref_value> out;
    for (auto* r = res; r != nullptr; r = r->next) {
        deref_value v;
        v.deref_attribute = r->derefAttr;
        v.name = dn(std::string(r->derefVal.bv_val, r->derefVal.bv_len));
        for (auto* a = r->attrVals; a != nullptr; a = a->next) {
            attribute attr{a->type, {}};
            for (auto* bv = a->vals; bv != nullptr && bv->bv_val != nullptr; ++bv) {
                attr.values.emplace_back(bv->bv_val, bv->bv_len);
            }
            v.attributes.push_back(std::move(attr));
        }
        out.push_back(std::move(v));
    }
    ldap_derefresponse_free(res);
    return out;
}

result<entry> parse_read_entry(const std::vector<control>& response_controls,
                               std::string_view oid) {
    auto found = require(response_controls, oid);
    if (!found) {
        return found.error();
    }
    const std::string value = (*found)->value.value_or(std::string());
    berval bv = view(value);
    ber_ptr owner(ber_init(&bv));
    if (!owner) {
        return error(LDAP_NO_MEMORY, "read entry control cannot be decoded");
    }
    BerElement* ber = owner.get();
    berval name{};
    // RFC 4527 §3.3: the value is a SearchResultEntry.
    if (ber_scanf(ber, "{m{" /*}}*/, &name) == LBER_ERROR) {
        return error(LDAP_DECODING_ERROR, "read entry control cannot be decoded");
    }
    entry out;
    out.name = dn(std::string(name.bv_val, name.bv_len));
    berval type{};
    while (ber_scanf(ber, "{m" /*}*/, &type) != LBER_ERROR) {
        BerVarray values = nullptr;
        if (ber_scanf(ber, "[W]}", &values) == LBER_ERROR) {
            return error(LDAP_DECODING_ERROR, "read entry control has a bad attribute");
        }
        attribute attr{std::string(type.bv_val, type.bv_len), {}};
        for (auto* v = values; v != nullptr && v->bv_val != nullptr; ++v) {
            attr.values.emplace_back(v->bv_val, v->bv_len);
        }
        ber_bvarray_free(values);
        out.attributes.push_back(std::move(attr));
    }
    return out;
}

}  // namespace controls

namespace extended_values {

std::string password_modify(const std::optional<dn>& user,
                            const std::optional<std::string>& old_password,
                            const std::optional<std::string>& new_password) {
    ber_ptr ber(ber_alloc_t(LBER_USE_DER));
    ber_printf(ber.get(), "{" /*}*/);
    if (user) {
        berval bv = view(user->str());
        ber_printf(ber.get(), "tO", LDAP_TAG_EXOP_MODIFY_PASSWD_ID, &bv);
    }
    if (old_password) {
        berval bv = view(*old_password);
        ber_printf(ber.get(), "tO", LDAP_TAG_EXOP_MODIFY_PASSWD_OLD, &bv);
    }
    if (new_password) {
        berval bv = view(*new_password);
        ber_printf(ber.get(), "tO", LDAP_TAG_EXOP_MODIFY_PASSWD_NEW, &bv);
    }
    ber_printf(ber.get(), /*{*/ "N}");
    return flatten(ber.get());
}

result<std::optional<std::string>> parse_password_modify(const std::optional<std::string>& value) {
    if (!value || value->empty()) {
        return std::optional<std::string>();
    }
    berval bv = view(*value);
    ber_ptr owner(ber_init(&bv));
    if (!owner) {
        return error(LDAP_NO_MEMORY, "password modify response cannot be decoded");
    }
    BerElement* ber = owner.get();
    ber_len_t len = 0;
    if (ber_scanf(ber, "{" /*}*/) == LBER_ERROR) {
        return error(LDAP_DECODING_ERROR, "password modify response cannot be decoded");
    }
    if (ber_peek_tag(ber, &len) != LDAP_TAG_EXOP_MODIFY_PASSWD_GEN) {
        return std::optional<std::string>();
    }
    berval generated{};
    if (ber_scanf(ber, "m", &generated) == LBER_ERROR) {
        return error(LDAP_DECODING_ERROR, "password modify response cannot be decoded");
    }
    return std::optional<std::string>(std::string(generated.bv_val, generated.bv_len));
}

std::string txn_end(std::string_view txn_id, bool commit) {
    ber_ptr ber(ber_alloc_t(LBER_USE_DER));
    berval id = view(txn_id);
    if (commit) {  // DEFAULT TRUE: DER leaves it out
        ber_printf(ber.get(), "{ON}", &id);
    } else {
        ber_printf(ber.get(), "{bON}", 0, &id);
    }
    return flatten(ber.get());
}

}  // namespace extended_values
}  // namespace scimldap::ldap
