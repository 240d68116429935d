// The mixed-load generator's record of everything it sent and everything it got back, one JSON
// object a line (read by check_directory.py and summarize_run.py).
#pragma once

#include "tests/faults/http_connection.hpp"

#include <boost/json/object.hpp>

#include <fstream>
#include <string>

namespace scimldap::faults {

/// One request as the generator meant it: what it is about and what it should change.
struct journal_request {
    unsigned client = 0;
    std::string op;    // create_user, patch_user, put_user, delete_user, get_user, lookup_user,
                       // create_group, add_member, remove_member, readyz
    std::string kind;  // user, group, probe
    std::string key;   // the userName or the group's displayName
    std::string method;
    std::string target;
    std::string body;
    boost::json::object effect;  // the state the write asks for (the checker's model)
    unsigned attempt = 1;        // 2.. for retries of the same request
};

/// Appends entries to a file; single-threaded (the generator runs one io_context thread).
class journal {
public:
    explicit journal(const std::string& path);
    void write(const journal_request& request, const http_outcome& outcome);

private:
    std::ofstream out_;
};

}  // namespace scimldap::faults
