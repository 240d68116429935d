// Back-pressure toward the directory (issue 15): with slapd frozen, requests past
// ldap.max_pending_reads get 503 with Retry-After at once instead of queueing until their
// timeout; once the directory answers again, requests succeed. Assertions are on counts.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/frozen_process.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <future>
#include <string>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

class BackPressure : public bridge_suite<BackPressure> {
public:
    static bridge_options options(const slapd_launcher&) {
        bridge_options o;
        o.ldap = json::object{{"max_pending_reads", 2}, {"operation_timeout", "2s"}};
        return o;
    }

protected:
    static http_reply lookup() {
        return bridge_->request(bhttp::verb::get,
                                "/scim/v2/Users?filter=userName%20eq%20%22nobody%22");
    }
};

TEST_F(BackPressure, ReadsPastTheBoundGet503AtOnceWhileTheDirectoryIsFrozen) {
    ASSERT_EQ(lookup().status, 200u);
    std::vector<std::future<http_reply>> replies;
    {
        frozen_directory frozen(slapd_->pid());
        for (int i = 0; i < 6; ++i) {
            replies.push_back(std::async(std::launch::async, [] { return lookup(); }));
        }
        // The four over the bound are answered while slapd is still frozen.
        int refused = 0;
        for (auto& r : replies) {
            if (r.wait_for(std::chrono::milliseconds(1500)) == std::future_status::ready) {
                const http_reply reply = r.get();
                EXPECT_EQ(reply.status, 503u) << reply.body;
                EXPECT_FALSE(reply.header("retry-after").empty());
                refused += reply.body.find("max_pending_reads") != std::string::npos ? 1 : 0;
            }
        }
        EXPECT_EQ(refused, 4);
    }
    for (auto& r : replies) {
        if (r.valid()) {
            r.get();  // the two that were sent finish one way or the other
        }
    }
    EXPECT_TRUE(eventually([] { return lookup().status == 200; }));
}

}  // namespace
}  // namespace scimldap::testing
