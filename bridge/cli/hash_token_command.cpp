#include "bridge/auth/token_hash.hpp"
#include "bridge/cli/commands.hpp"
#include "bridge/cli/secret_file.hpp"

#include <istream>
#include <iterator>
#include <ostream>
#include <stdexcept>

namespace scimldap::cli {

namespace {

std::string read_token(const command_line& cl, std::istream& in) {
    if (cl.token) {
        return *cl.token;
    }
    if (cl.token_file) {
        return read_secret_file(*cl.token_file);
    }
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

}  // namespace

int run_hash_token(const command_line& cl, std::istream& in, std::ostream& out, std::ostream& err) {
    std::string token;
    try {
        token = read_token(cl, in);
    } catch (const std::exception& e) {
        err << "hash-token: " << e.what() << '\n';
        return exit_error;
    }
    if (token.empty()) {
        err << "hash-token: the token is empty\n";
        return exit_usage;
    }
    out << auth::hash_token(token) << '\n';
    return exit_ok;
}

}  // namespace scimldap::cli
