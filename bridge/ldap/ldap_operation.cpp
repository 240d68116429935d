// Request senders (non-blocking libldap calls) and the once-only completion of an operation.
#include "bridge/ldap/ldap_operation.hpp"

#include <ldap.h>

#include <boost/asio/post.hpp>

#include <deque>

namespace scimldap::ldap::detail {
namespace {

berval view(const std::string& s) {
    return {static_cast<ber_len_t>(s.size()), const_cast<char*>(s.data())};
}

/// LDAPControl views over our controls, null-terminated, valid while `controls` lives.
class control_array {
public:
    explicit control_array(std::vector<control>& controls) {
        raw_.reserve(controls.size());
        for (auto& c : controls) {
            LDAPControl r{};
            r.ldctl_oid = c.oid.data();
            if (c.value) {
                r.ldctl_value = view(*c.value);
            }
            r.ldctl_iscritical = c.critical ? 1 : 0;
            raw_.push_back(r);
        }
        for (auto& r : raw_) {
            pointers_.push_back(&r);
        }
        pointers_.push_back(nullptr);
    }
    LDAPControl** get() { return raw_.empty() ? nullptr : pointers_.data(); }

private:
    std::vector<LDAPControl> raw_;
    std::vector<LDAPControl*> pointers_;
};

/// LDAPMod records over attribute values (binary-safe: LDAP_MOD_BVALUES).
class mod_array {
public:
    void add(int op, const std::string& type, const std::vector<std::string>& values) {
        auto& vals = values_.emplace_back();
        for (const auto& v : values) {
            vals.push_back(view(v));
        }
        auto& m = mods_.emplace_back();
        m.mod_op = op | LDAP_MOD_BVALUES;
        m.mod_type = const_cast<char*>(type.c_str());
    }
    LDAPMod** get() {
        // The berval pointer arrays are fixed only once every record is in place.
        pointers_.clear();
        for (std::size_t i = 0; i < mods_.size(); ++i) {
            auto& vals = values_[i];
            auto& ptrs = pointers_.emplace_back();
            for (auto& v : vals) {
                ptrs.push_back(&v);
            }
            ptrs.push_back(nullptr);
            mods_[i].mod_bvalues = vals.empty() ? nullptr : ptrs.data();
        }
        list_.clear();
        for (auto& m : mods_) {
            list_.push_back(&m);
        }
        list_.push_back(nullptr);
        return list_.data();
    }

private:
    std::deque<LDAPMod> mods_;
    std::deque<std::vector<berval>> values_;
    std::deque<std::vector<berval*>> pointers_;
    std::vector<LDAPMod*> list_;
};

int to_ldap(mod_op op) {
    switch (op) {
        case mod_op::add:
            return LDAP_MOD_ADD;
        case mod_op::remove:
            return LDAP_MOD_DELETE;
        case mod_op::replace:
            return LDAP_MOD_REPLACE;
    }
    return LDAP_MOD_REPLACE;
}

}  // namespace

operation::operation(request_sender sender, std::vector<control> controls,
                     clock::time_point deadline, response_handler handler,
                     boost::asio::any_io_executor resume_on)
    : sender_(std::move(sender)),
      controls_(std::move(controls)),
      deadline_(deadline),
      handler_(std::move(handler)),
      resume_on_(std::move(resume_on)) {}

const boost::asio::execution_context* operation::caller_context() const {
    return resume_on_ ? &boost::asio::query(resume_on_, boost::asio::execution::context) : nullptr;
}

int operation::send(LDAP* ld, int* msgid) {
    control_array server(controls_);
    return sender_(ld, server.get(), msgid);
}

void operation::complete(response r) {
    if (completed_.exchange(true, std::memory_order_acq_rel)) {
        return;
    }
    auto handler = std::move(handler_);
    handler_ = nullptr;
    // post, never inline: the caller resumes on its own executor, not inside our drain loop
    // (and not on the connection's strand).
    boost::asio::post(resume_on_, [handler = std::move(handler), r = std::move(r)]() mutable {
        std::move(handler)(std::move(r));
    });
}

void operation::fail(int code, std::string diagnostic) {
    response r;
    r.code = code;
    r.diagnostic = std::move(diagnostic);
    complete(std::move(r));
}

namespace requests {

request_sender simple_bind(std::string name, std::string password) {
    return [name = std::move(name), password = std::move(password)](LDAP* ld, LDAPControl** sc,
                                                                    int* msgid) {
        berval cred = view(password);
        return ldap_sasl_bind(ld, name.c_str(), LDAP_SASL_SIMPLE, &cred, sc, nullptr, msgid);
    };
}

request_sender sasl_external_bind() {
    return [](LDAP* ld, LDAPControl** sc, int* msgid) {
        // RFC 4422 EXTERNAL without an authorization identity: the server uses the peer's
        // credentials (ldapi:// peer uid/gid). One round trip, so it fits the async flow.
        berval empty{0, const_cast<char*>("")};
        return ldap_sasl_bind(ld, nullptr, "EXTERNAL", &empty, sc, nullptr, msgid);
    };
}

request_sender search(const search_request& request) {
    return [base = request.base.str(), scope = static_cast<int>(request.scope),
            filter = request.filter.str(),
            attributes =
                request.attributes.empty() ? std::vector<std::string>{"1.1"} : request.attributes,
            size_limit = request.size_limit](LDAP* ld, LDAPControl** sc, int* msgid) {
        std::vector<char*> attrs;
        for (const auto& a : attributes) {
            attrs.push_back(const_cast<char*>(a.c_str()));
        }
        attrs.push_back(nullptr);
        return ldap_search_ext(ld, base.c_str(), scope, filter.c_str(), attrs.data(), 0, sc,
                               nullptr, nullptr, size_limit, msgid);
    };
}

request_sender add(dn name, std::vector<attribute> attributes) {
    return [name = std::move(name), attributes = std::move(attributes)](LDAP* ld, LDAPControl** sc,
                                                                        int* msgid) {
        mod_array mods;
        for (const auto& a : attributes) {
            mods.add(LDAP_MOD_ADD, a.name, a.values);
        }
        return ldap_add_ext(ld, name.str().c_str(), mods.get(), sc, nullptr, msgid);
    };
}

request_sender modify(dn name, std::vector<modification> changes) {
    return [name = std::move(name), changes = std::move(changes)](LDAP* ld, LDAPControl** sc,
                                                                  int* msgid) {
        mod_array mods;
        for (const auto& c : changes) {
            mods.add(to_ldap(c.op), c.attribute, c.values);
        }
        return ldap_modify_ext(ld, name.str().c_str(), mods.get(), sc, nullptr, msgid);
    };
}

request_sender rename(dn name, std::string new_rdn, std::optional<dn> new_superior,
                      bool delete_old_rdn) {
    return [name = std::move(name), new_rdn = std::move(new_rdn),
            new_superior = std::move(new_superior),
            delete_old_rdn](LDAP* ld, LDAPControl** sc, int* msgid) {
        return ldap_rename(ld, name.str().c_str(), new_rdn.c_str(),
                           new_superior ? new_superior->str().c_str() : nullptr,
                           delete_old_rdn ? 1 : 0, sc, nullptr, msgid);
    };
}

request_sender remove(dn name) {
    return [name = std::move(name)](LDAP* ld, LDAPControl** sc, int* msgid) {
        return ldap_delete_ext(ld, name.str().c_str(), sc, nullptr, msgid);
    };
}

request_sender extended(std::string oid, std::optional<std::string> value) {
    return [oid = std::move(oid), value = std::move(value)](LDAP* ld, LDAPControl** sc,
                                                            int* msgid) {
        berval bv{};
        if (value) {
            bv = view(*value);
        }
        return ldap_extended_operation(ld, oid.c_str(), value ? &bv : nullptr, sc, nullptr, msgid);
    };
}

}  // namespace requests
}  // namespace scimldap::ldap::detail
