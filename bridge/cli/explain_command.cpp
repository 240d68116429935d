// scim-ldap-bridge explain: what a SCIM body becomes in LDAP (and back), without a directory.
#include "bridge/cli/commands.hpp"
#include "bridge/scim/scim_error.hpp"
#include "mapping/config_loader.hpp"
#include "mapping/ldif.hpp"
#include "mapping/profile.hpp"
#include "mapping/projection.hpp"
#include "mapping/resource_reader.hpp"
#include "mapping/resource_writer.hpp"

#include <boost/json.hpp>

#include <iterator>
#include <ostream>

namespace scimldap::cli {
namespace {

const mapping::tenant_settings* find_tenant(const mapping::config& c, const std::string& name) {
    for (const auto& t : c.tenants) {
        if (name.empty() || t.name == name) {
            return &t;
        }
    }
    return nullptr;
}

/// Pretty JSON for people reading a terminal.
void print_json(std::ostream& out, const boost::json::value& v, int indent = 0) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    if (v.is_object() && !v.get_object().empty()) {
        out << "{\n";
        bool first = true;
        for (const auto& [k, x] : v.get_object()) {
            out << (first ? "" : ",\n") << pad << "  "
                << boost::json::serialize(boost::json::string(k)) << ": ";
            print_json(out, x, indent + 2);
            first = false;
        }
        out << "\n" << pad << "}";
    } else if (v.is_array() && !v.get_array().empty()) {
        out << "[\n";
        bool first = true;
        for (const auto& x : v.get_array()) {
            out << (first ? "" : ",\n") << pad << "  ";
            print_json(out, x, indent + 2);
            first = false;
        }
        out << "\n" << pad << "]";
    } else {
        out << boost::json::serialize(v);
    }
}

int forward(const mapping::resource_profile& resource, const mapping::tenant_settings& tenant,
            const std::string& input, std::ostream& out, std::ostream& err) {
    boost::system::error_code ec;
    const auto body = boost::json::parse(input, ec);
    if (ec) {
        err << "error: the input is not JSON (" << ec.message() << ")\n";
        return exit_error;
    }
    auto desired = mapping::from_resource(resource, body);
    if (!desired) {
        const auto e = desired.error();
        const auto wire = scim::to_wire(e.code);
        err << "error: " << wire.status << (wire.scim_type.empty() ? "" : " ") << wire.scim_type
            << ": " << e.detail << '\n';
        return exit_error;
    }
    const ldap::dn& base =
        resource.base == mapping::base_kind::groups ? tenant.groups_base : tenant.users_base;
    const auto plan = mapping::plan_add(resource, *desired, base);
    out << "# " << resource.name << " for tenant " << tenant.name << " (profile " << tenant.profile
        << "): the LDAP add a POST sends\n";
    out << mapping::to_ldif(plan.name, plan.attributes, true);
    for (const auto& ref : desired->references) {
        for (const auto& id : ref.ids) {
            out << "# " << ref.mapping->ldap << ": the DN of the resource with id " << id
                << " (looked up when written)\n";
        }
    }
    if (desired->password) {
        out << "# password: set afterwards with the Password Modify extended operation "
               "(RFC 3062); the directory hashes it\n";
    }
    if (resource.user_type && resource.user_type->role_groups && desired->user_type) {
        out << "# userType: member of " << resource.user_type->role_rdn_attribute << "="
            << *desired->user_type << "," << tenant.roles_base.str() << '\n';
    }
    return exit_ok;
}

int reverse(const mapping::resource_profile& resource, const std::string& input, std::ostream& out,
            std::ostream& err) {
    auto entry = mapping::parse_ldif_entry(input);
    if (!entry) {
        const auto e = entry.error();
        err << "error: line " << e.line << ": " << e.message << '\n';
        return exit_error;
    }
    const mapping::projection fields;
    // Offline: references (manager, groups, members) cannot be turned into ids.
    const mapping::reference_resolver none = [](const ldap::dn&) {
        return static_cast<const mapping::resolved_reference*>(nullptr);
    };
    const mapping::read_context rc{fields, "", none};
    print_json(out, boost::json::value(mapping::to_resource(resource, *entry, rc)));
    out << '\n';
    return exit_ok;
}

}  // namespace

int run_explain(const command_line& cl, std::istream& in, std::ostream& out, std::ostream& err) {
    auto config = mapping::load_config(cl.config_file, mapping::default_profile_dirs());
    if (!config) {
        for (const auto& e : config.error()) {
            err << e.to_string() << '\n';
        }
        return exit_error;
    }
    const auto* tenant = find_tenant(*config, cl.tenant);
    if (tenant == nullptr) {
        err << "error: no tenant named \"" << cl.tenant << "\" in " << cl.config_file << '\n';
        return exit_error;
    }
    const auto& profile = *config->profiles.at(tenant->profile);
    const auto& resource = cl.resource == "Group" ? profile.group : profile.user;
    const std::string input{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return cl.reverse ? reverse(resource, input, out, err)
                      : forward(resource, *tenant, input, out, err);
}

}  // namespace scimldap::cli
