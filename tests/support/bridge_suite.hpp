// One slapd and one in-process bridge per gtest suite, the suite's options and routes applied.
#pragma once

#include "bridge/scim/router.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace scimldap::testing {

/// Base of a suite that shares one directory and one bridge. `Suite` may hide the static
/// hooks: options (the bridge's config), seed (LDAP data loaded before the bridge starts) and
/// add_routes (test-only routes).
template <class Suite>
class bridge_suite : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        slapd_ = std::make_unique<slapd_launcher>();
        slapd_->start();
        Suite::seed(*slapd_);
        bridge_ = std::make_unique<bridge_fixture>(*slapd_, Suite::options(*slapd_));
        Suite::add_routes(bridge_->routes());
        bridge_->start();
    }
    static void TearDownTestSuite() {
        bridge_.reset();
        slapd_.reset();
    }
    static bridge_options options(const slapd_launcher&) { return {}; }
    static void seed(const slapd_launcher&) {}
    static void add_routes(scim::router&) {}

    static inline std::unique_ptr<slapd_launcher> slapd_;
    static inline std::unique_ptr<bridge_fixture> bridge_;
};

}  // namespace scimldap::testing
