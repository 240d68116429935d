#include "tests/support/curl_client.hpp"

#include "tests/support/child_process.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace scimldap::testing {

http_reply curl(const std::vector<std::string>& args) {
    const std::string body = make_temp_file("scimldap-curl-body");
    const std::string headers = make_temp_file("scimldap-curl-headers");
    const std::string out = make_temp_file("scimldap-curl-out");
    std::vector<std::string> argv{"/usr/bin/curl", "-sS", "-o",          body, "-D",
                                  headers,         "-w",  "%{http_code}"};
    argv.insert(argv.end(), args.begin(), args.end());
    const int status = run(argv, out);
    http_reply reply;
    reply.status = static_cast<unsigned>(std::atoi(read_file(out).c_str()));
    reply.body = read_file(body);
    std::istringstream lines(read_file(headers));
    for (std::string line; std::getline(lines, line);) {
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        std::string name = line.substr(0, colon);
        for (char& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        value.erase(value.find_last_not_of("\r ") + 1);
        reply.headers[name] = value;
    }
    EXPECT_EQ(status, 0) << "curl failed: " << read_file(out);
    for (const std::string& file : {body, headers, out}) {
        std::filesystem::remove(file);
    }
    return reply;
}

}  // namespace scimldap::testing
