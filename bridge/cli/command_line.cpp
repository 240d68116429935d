#include "bridge/cli/command_line.hpp"

#include "mapping/duration.hpp"

#include <functional>
#include <stdexcept>

namespace scimldap::cli {

namespace {

struct flag_spec {
    std::string_view name;
    std::string_view value_name;  // empty: the flag takes no value
    std::function<void(command_line&, std::string_view)> apply;
};

struct command_spec {
    std::string_view name;
    command_kind kind;
    std::vector<flag_spec> flags;
    std::size_t max_positionals;
    std::function<void(command_line&, std::string_view)> positional;
    bool needs_config;
};

void set_config(command_line& c, std::string_view v) {
    c.config_file = v;
}

void set_tenant(command_line& c, std::string_view v) {
    c.tenant = v;
}

void set_label(command_line& c, std::string_view v) {
    c.label = std::string(v);
}

// "token new", "token list", "token new-client": the command is two words.
constexpr std::string_view token_command = "token";

const std::vector<command_spec>& commands() {
    static const std::vector<command_spec> table = {
        {"serve",
         command_kind::serve,
         {{"--config", "FILE", set_config},
          {"--listen", "HOST:PORT",
           [](command_line& c, std::string_view v) {
               c.overrides.push_back({"listen", std::string(v), "--listen"});
           }},
          {"--ldap-uri", "URI",
           [](command_line& c, std::string_view v) {
               // Repeated --ldap-uri flags together replace the file's list (failover order).
               for (auto& o : c.overrides) {
                   if (o.key == "ldap.uris" && o.source == "--ldap-uri") {
                       o.value += "," + std::string(v);
                       return;
                   }
               }
               c.overrides.push_back({"ldap.uris", std::string(v), "--ldap-uri"});
           }}},
         0,
         nullptr,
         true},
        {"check",
         command_kind::check,
         {{"--config", "FILE", set_config},
          {"--live", "", [](command_line& c, std::string_view) { c.live = true; }}},
         0,
         nullptr,
         true},
        {"explain",
         command_kind::explain,
         {{"--config", "FILE", set_config},
          {"--tenant", "NAME", set_tenant},
          {"--resource", "TYPE",
           [](command_line& c, std::string_view v) { c.resource = std::string(v); }},
          {"--reverse", "", [](command_line& c, std::string_view) { c.reverse = true; }},
          {"--search", "", [](command_line& c, std::string_view) { c.search = true; }}},
         0,
         nullptr,
         true},
        {"hash-token",
         command_kind::hash_token,
         {{"--file", "PATH",
           [](command_line& c, std::string_view v) { c.token_file = std::string(v); }}},
         1,
         [](command_line& c, std::string_view v) { c.token = std::string(v); },
         false},
        {"token new",
         command_kind::token_new,
         {{"--tenant", "NAME", set_tenant},
          {"--name", "LABEL", set_label},
          {"--expires", "DURATION",
           [](command_line& c, std::string_view v) {
               // A duration that does not parse is kept as -1 and refused after the loop.
               c.expires = mapping::parse_duration(v).value_or(std::chrono::milliseconds(-1));
           }}},
         0,
         nullptr,
         false},
        {"token new-client",
         command_kind::token_new_client,
         {{"--tenant", "NAME", set_tenant},
          {"--name", "LABEL", set_label},
          {"--client-id", "ID",
           [](command_line& c, std::string_view v) { c.client_id = std::string(v); }}},
         0,
         nullptr,
         false},
        {"token list",
         command_kind::token_list,
         {{"--config", "FILE", set_config}},
         0,
         nullptr,
         true},
    };
    return table;
}

const command_spec* find_command(std::string_view name) {
    for (const command_spec& c : commands()) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

const flag_spec* find_flag(const command_spec& c, std::string_view name) {
    for (const flag_spec& f : c.flags) {
        if (f.name == name) {
            return &f;
        }
    }
    return nullptr;
}

}  // namespace

void throw_exception_from_error(const usage_error& e, const boost::source_location&) {
    throw std::invalid_argument(e.message);
}

boost::system::result<command_line, usage_error> parse_command_line(
    const std::vector<std::string_view>& args) {
    command_line out;
    if (args.empty()) {
        return usage_error{"no command given"};
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out.command = command_kind::help;
        return out;
    }
    if (args[0] == "--version") {
        out.command = command_kind::version;
        return out;
    }
    std::string name(args[0]);
    std::size_t first_arg = 1;
    if (args[0] == token_command) {
        if (args.size() < 2 || args[1].substr(0, 2) == "--") {
            return usage_error{"token needs a subcommand: new, new-client or list"};
        }
        name += " " + std::string(args[1]);
        first_arg = 2;
    }
    const command_spec* spec = find_command(name);
    if (spec == nullptr) {
        return usage_error{"unknown command '" + name + "'"};
    }
    out.command = spec->kind;
    std::size_t positionals = 0;
    for (std::size_t i = first_arg; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--help" || arg == "-h") {
            out.command = command_kind::help;
            return out;
        }
        if (arg.size() < 2 || arg.substr(0, 2) != "--" || arg == "--") {
            if (++positionals > spec->max_positionals || !spec->positional) {
                return usage_error{"unexpected argument '" + std::string(arg) + "' for " +
                                   std::string(spec->name)};
            }
            spec->positional(out, arg);
            continue;
        }
        std::optional<std::string_view> value;
        if (const std::size_t eq = arg.find('='); eq != std::string_view::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        const flag_spec* flag = find_flag(*spec, arg);
        if (flag == nullptr) {
            return usage_error{"unknown option '" + std::string(arg) + "' for " +
                               std::string(spec->name)};
        }
        if (!flag->value_name.empty() && !value) {
            if (i + 1 >= args.size()) {
                return usage_error{std::string(arg) + " needs a value (" +
                                   std::string(flag->value_name) + ")"};
            }
            value = args[++i];
        }
        if (flag->value_name.empty() && value) {
            return usage_error{std::string(arg) + " takes no value"};
        }
        flag->apply(out, value.value_or(std::string_view{}));
    }
    if (spec->needs_config && out.config_file.empty()) {
        return usage_error{std::string(spec->name) + " needs --config FILE"};
    }
    // --resource names a resource type of the tenant's profile: checked once it is loaded.
    if (out.resource.empty()) {
        return usage_error{"--resource needs a resource type's name, e.g. User or Group"};
    }
    if (out.reverse && out.search) {
        return usage_error{"explain takes --reverse or --search, not both"};
    }
    if (out.token && out.token_file) {
        return usage_error{"hash-token takes a TOKEN or --file PATH, not both"};
    }
    if ((out.command == command_kind::token_new || out.command == command_kind::token_new_client) &&
        out.tenant.empty()) {
        return usage_error{std::string(spec->name) + " needs --tenant NAME"};
    }
    if (out.expires && out.expires->count() <= 0) {
        return usage_error{
            "--expires takes a duration such as 90d, 12h or 30m (a whole number and one of "
            "ms, s, m, h, d)"};
    }
    return out;
}

std::string usage_text() {
    return R"(Usage:
  scim-ldap-bridge serve --config FILE [--listen HOST:PORT] [--ldap-uri URI]...
      Run the SCIM service. Flags override the file (and SCIMLDAP_* environment variables);
      repeated --ldap-uri flags replace the file's URI list, in failover order.
  scim-ldap-bridge check --config FILE [--live]
      Load and validate the config and its profiles; print every error. --live also connects
      to the configured LDAP server (SCIMLDAP_* environment applies) and checks every tenant's
      profile against its subschema (attributes, SINGLE-VALUE, MUST of the objectClasses).
  scim-ldap-bridge explain --config FILE [--tenant NAME] [--resource User|Group]
                          [--reverse | --search]
      Read a SCIM resource (JSON) on standard input and print the LDIF the bridge would add for
      it, through the tenant's profile, without touching a directory; --reverse reads one LDIF
      entry and prints it as the SCIM resource; --search reads a SearchRequest (the body of
      POST /Users/.search) and prints the LDAP searches that query makes.
  scim-ldap-bridge hash-token [TOKEN | --file PATH]
      Print the SHA-256 (hex) to put in tokens[].sha256. Reads standard input when neither is
      given (prefer that or --file: a TOKEN argument is visible in the process list).
  scim-ldap-bridge token new --tenant NAME [--name LABEL] [--expires DURATION]
      Make a bearer token for an IdP ("Generate API key"): prints the token (line 1, shown
      only this once) and the JSON line to add to "tokens" (line 2: name, tenant, sha256 and,
      with --expires such as 90d, not_after). Then reload or restart the bridge.
  scim-ldap-bridge token new-client --tenant NAME [--client-id ID] [--name LABEL]
      Make an OAuth client (client credentials grant): prints the client id (line 1), its
      secret (line 2, shown only this once) and the JSON line for "oauth.clients" (line 3).
  scim-ldap-bridge token list --config FILE
      List the config's tokens and OAuth clients: name, tenant, expiry ("expired" when past).
      Hashes are never shown.
  scim-ldap-bridge --version
  scim-ldap-bridge --help

Exit status: 0 success, 1 configuration or runtime error, 2 usage error.
)";
}

}  // namespace scimldap::cli
