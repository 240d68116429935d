// scim-ldap-bridge explain: what a SCIM body becomes in LDAP (and back), without a directory.
#include "base/scim_error.hpp"
#include "bridge/cli/commands.hpp"
#include "bridge/scim/list_query.hpp"
#include "bridge/scim/search_plan.hpp"
#include "mapping/config_loader.hpp"
#include "mapping/create_plan.hpp"
#include "mapping/filter_translate.hpp"
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

void print_error(std::ostream& err, const scim::error& e) {
    const auto wire = scim::to_wire(e.code);
    err << "error: " << wire.status << (wire.scim_type.empty() ? "" : " ") << wire.scim_type << ": "
        << e.detail << '\n';
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        out += (out.empty() ? "" : " ") + n;
    }
    return out;
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
        print_error(err, desired.error());
        return exit_error;
    }
    const ldap::dn& base =
        mapping::base_dn(resource.base, tenant.users_base, tenant.groups_base, tenant.roles_base);
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
    if (plan.password) {
        out << "# " << plan.password->name
            << ": the password, in the add as cleartext (not shown); the directory hashes it\n";
    } else if (desired->password) {
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

/// The searches a SearchRequest becomes, as `key: value` lines a script can read. Ids that a
/// filter compares references with are shown as placeholders: they are looked up when served.
int searches(const mapping::resource_profile& resource, const mapping::config& config,
             const mapping::tenant_settings& tenant, const std::string& input, std::ostream& out,
             std::ostream& err) {
    boost::system::error_code ec;
    const auto body = boost::json::parse(input, ec);
    if (ec) {
        err << "error: the input is not JSON (" << ec.message() << ")\n";
        return exit_error;
    }
    const scim::paging_limits limits{config.scim.default_count, config.scim.max_count};
    const auto query = scim::query_from_search_request(body, resource, limits);
    if (!query) {
        print_error(err, query.error());
        return exit_error;
    }
    mapping::reference_dns references;
    if (query->filter) {
        for (const auto& id : mapping::reference_filter_ids(resource, *query->filter)) {
            references[id] = ldap::dn("<DN of the resource with id " + id + ">");
        }
    }
    const auto fields =
        mapping::projection::parse(resource, query->attributes, query->excluded_attributes);
    const auto plan = scim::plan_search(resource, *query, fields, &references);
    if (!plan) {
        print_error(err, plan.error());
        return exit_error;
    }
    const ldap::dn& base =
        mapping::base_dn(resource.base, tenant.users_base, tenant.groups_base, tenant.roles_base);
    out << "# " << resource.name << " query for tenant " << tenant.name << " (profile "
        << tenant.profile << "): the LDAP search it starts with\n";
    const char* scope = plan->scope == ldap::scope::sub   ? "sub"
                        : plan->scope == ldap::scope::one ? "one"
                                                          : "base";
    out << "base: " << base.str() << "\nscope: " << scope << "\nfilter: " << plan->filter.str()
        << "\nattributes: " << joined(plan->first_attributes)
        << "\nsize limit: " << scim::first_search_size_limit << '\n';
    if (plan->recheck) {
        out << "# LDAP's answer is a superset: each entry is checked against the SCIM filter\n";
    }
    out << "# More matches than the size limit: ids and sort keys are read with paged results,\n"
           "# ordered by "
        << plan->sort_attribute << ", and the page's entries read by id.\n";
    out << "key attributes: " << joined(plan->key_attributes)
        << "\npage attributes: " << joined(plan->page_attributes) << '\n';
    if (!plan->members_apart.empty()) {
        out << "# Members asked for: each page group is read by id, its " << plan->members_apart
            << " values counted against scim.max_members_inline (" << config.scim.max_members_inline
            << ") before they are resolved.\n";
    }
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
    const auto* found = profile.find_resource(cl.resource);
    if (found == nullptr) {
        err << "error: profile \"" << profile.name << "\" has no resource type \"" << cl.resource
            << "\"\n";
        return exit_error;
    }
    const auto& resource = *found;
    const std::string input{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (cl.search) {
        return searches(resource, *config, *tenant, input, out, err);
    }
    return cl.reverse ? reverse(resource, input, out, err)
                      : forward(resource, *tenant, input, out, err);
}

}  // namespace scimldap::cli
