// `token new`, `token new-client`, `token list`: issuing and listing the credentials IdPs use.
#include "bridge/auth/random_secret.hpp"
#include "bridge/auth/token_hash.hpp"
#include "bridge/cli/commands.hpp"
#include "mapping/config_loader.hpp"
#include "mapping/rfc3339_time.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdio>
#include <ostream>
#include <stdexcept>

namespace scimldap::cli {

namespace {

// Random bytes in a generated client id: unique, short enough to type into an IdP's form.
constexpr std::size_t client_id_bytes = 9;

std::chrono::sys_seconds to_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::floor<std::chrono::seconds>(t);
}

// A default label: the tenant and the UTC minute, so tokens made on different days differ and
// the log shows when a token was made ("default-20261206-1451").
std::string dated_label(const std::string& tenant, std::chrono::sys_seconds now) {
    const std::string t = mapping::format_rfc3339(now);  // 2026-12-06T14:51:07Z
    return tenant + "-" + t.substr(0, 4) + t.substr(5, 2) + t.substr(8, 2) + "-" + t.substr(11, 2) +
           t.substr(14, 2);
}

int token_new(const command_line& cl, std::ostream& out, std::ostream& err,
              std::chrono::sys_seconds now) {
    const std::string token = auth::random_secret();
    boost::json::object line{{"name", cl.label.value_or(dated_label(cl.tenant, now))},
                             {"tenant", cl.tenant},
                             {"sha256", auth::hash_token(token)}};
    if (cl.expires) {
        line["not_after"] = mapping::format_rfc3339(
            now + std::chrono::duration_cast<std::chrono::seconds>(*cl.expires));
    }
    out << token << '\n' << boost::json::serialize(line) << '\n';
    err << "Line 1 is the token: give it to the IdP now (it is not stored anywhere and is not "
           "shown again).\nLine 2 goes into the config's \"tokens\" array; then reload or "
           "restart the bridge.\n";
    return exit_ok;
}

int token_new_client(const command_line& cl, std::ostream& out, std::ostream& err) {
    const std::string client_id =
        cl.client_id.value_or(cl.tenant + "-" + auth::random_secret(client_id_bytes));
    const std::string secret = auth::random_secret();
    const boost::json::object line{{"client_id", client_id},
                                   {"secret_sha256", auth::hash_token(secret)},
                                   {"tenant", cl.tenant},
                                   {"name", cl.label.value_or(client_id)}};
    out << client_id << '\n' << secret << '\n' << boost::json::serialize(line) << '\n';
    err << "Line 1 is the client id and line 2 the client secret: enter both in the IdP now "
           "(the secret is not stored anywhere and is not shown again).\nLine 3 goes into the "
           "config's \"oauth\".\"clients\" array (the \"oauth\" section also needs a signing "
           "key); then reload or restart the bridge.\n";
    return exit_ok;
}

int token_list(const command_line& cl, std::ostream& out, std::ostream& err,
               std::chrono::sys_seconds now) {
    const auto loaded = mapping::load_config(cl.config_file, mapping::default_profile_dirs());
    if (!loaded) {
        for (const mapping::config_error& e : loaded.error()) {
            err << e.to_string() << '\n';
        }
        return exit_error;
    }
    for (const mapping::token_settings& t : loaded->tokens) {
        out << "token " << t.name << " tenant=" << t.tenant << " not_after=";
        if (t.not_after) {
            out << mapping::format_rfc3339(*t.not_after) << (now >= *t.not_after ? " expired" : "");
        } else {
            out << "never";
        }
        out << '\n';
    }
    if (loaded->oauth) {
        for (const mapping::oauth_client_settings& c : loaded->oauth->clients) {
            out << "oauth-client " << c.name << " tenant=" << c.tenant
                << " client_id=" << c.client_id << '\n';
        }
    }
    return exit_ok;
}

}  // namespace

int run_token(const command_line& cl, std::ostream& out, std::ostream& err,
              std::chrono::system_clock::time_point now) {
    try {
        switch (cl.command) {
            case command_kind::token_new:
                return token_new(cl, out, err, to_seconds(now));
            case command_kind::token_new_client:
                return token_new_client(cl, out, err);
            case command_kind::token_list:
                return token_list(cl, out, err, to_seconds(now));
            default:
                break;
        }
    } catch (const std::runtime_error& e) {
        err << "token: " << e.what() << '\n';
        return exit_error;
    }
    return exit_usage;
}

}  // namespace scimldap::cli
