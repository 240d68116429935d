// The service started and torn down repeatedly in one process, as the in-process fixtures do.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>

#include <malloc.h>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;

// With two IO threads the LDAP client's connections live on both io_contexts. Destroying the
// contexts one after the other once freed one context's strands and reactor while handlers
// queued on the other still referred to them; glibc then aborted a later test in the same
// process ("malloc(): mismatching next->prev_size"). Each round here is a full start, request,
// shutdown and destruction.
TEST(ServiceLifecycle, StartingAndStoppingRepeatedlyInOneProcessLeavesTheHeapIntact) {
    // Freed memory is overwritten, so a read of a freed mutex or reactor fails loudly here
    // instead of finding the old bytes still in place.
    mallopt(M_PERTURB, 0x5a);
    slapd_launcher slapd;
    slapd.start();
    for (int round = 0; round < 4; ++round) {
        bridge_fixture bridge(slapd);  // two IO threads, the config's default
        bridge.start();
        const auto reply =
            bridge.request(bhttp::verb::get, "/scim/v2/Users?filter=userName%20eq%20%22nobody%22");
        EXPECT_EQ(reply.status, 200) << "round " << round;
        EXPECT_NE(reply.body.find("\"totalResults\":0"), std::string::npos) << reply.body;
        bridge.request_shutdown();
        bridge.wait_stopped();
    }
}

}  // namespace
}  // namespace scimldap::testing
