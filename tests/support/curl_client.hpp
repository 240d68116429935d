// Requests made by the curl program, for tests that need a real client's own encoding (its form
// bodies, its HTTP Basic) rather than the fixture's.
#pragma once

#include "tests/support/bridge_fixture.hpp"

#include <string>
#include <vector>

namespace scimldap::testing {

/// Runs /usr/bin/curl with args (the URL among them) and returns what it received: status,
/// headers (names lowercased) and body. A test failure is recorded when curl itself fails.
http_reply curl(const std::vector<std::string>& args);

}  // namespace scimldap::testing
