// The metrics registry and its text exposition (Prometheus format 0.0.4): what a scrape shows
// for counters, gauges, histograms and collectors. promtool checks the real scrape in
// tests/integration/metrics_test.cpp.
#include "base/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace scimldap::metrics {
namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(Metrics, CounterShowsHelpTypeAndOneLinePerLabelSet) {
    registry r;
    auto& requests = r.counters("demo_requests_total", "Requests served.", {"method", "status"});
    requests.with({"GET", "200"}).inc();
    requests.with({"GET", "200"}).inc(2);
    requests.with({"POST", "201"}).inc();

    const std::string text = r.expose();
    EXPECT_TRUE(contains(text,
                         "# HELP demo_requests_total Requests served.\n"
                         "# TYPE demo_requests_total counter\n"))
        << text;
    EXPECT_TRUE(contains(text, "demo_requests_total{method=\"GET\",status=\"200\"} 3\n")) << text;
    EXPECT_TRUE(contains(text, "demo_requests_total{method=\"POST\",status=\"201\"} 1\n")) << text;
}

TEST(Metrics, LabelValuesAreEscaped) {
    registry r;
    r.counters("demo_total", "x", {"tenant"}).with({"a\"b\\c\nd"}).inc();
    EXPECT_TRUE(contains(r.expose(), "demo_total{tenant=\"a\\\"b\\\\c\\nd\"} 1\n")) << r.expose();
}

TEST(Metrics, GaugeGoesUpAndDown) {
    registry r;
    auto& g = r.gauges("demo_in_flight", "In flight.").with({});
    g.add(3);
    g.add(-1);
    EXPECT_TRUE(contains(r.expose(), "demo_in_flight 2\n")) << r.expose();
}

TEST(Metrics, HistogramBucketsAreCumulativeWithSumAndCount) {
    registry r;
    auto& h = r.histograms("demo_seconds", "Latency.", {"op"}, {0.1, 1}).with({"search"});
    h.observe(0.05);
    h.observe(0.5);
    h.observe(0.5);
    h.observe(7);

    const std::string text = r.expose();
    EXPECT_TRUE(contains(text, "# TYPE demo_seconds histogram\n")) << text;
    EXPECT_TRUE(contains(text, "demo_seconds_bucket{op=\"search\",le=\"0.1\"} 1\n")) << text;
    EXPECT_TRUE(contains(text, "demo_seconds_bucket{op=\"search\",le=\"1\"} 3\n")) << text;
    EXPECT_TRUE(contains(text, "demo_seconds_bucket{op=\"search\",le=\"+Inf\"} 4\n")) << text;
    EXPECT_TRUE(contains(text, "demo_seconds_sum{op=\"search\"} 8.05\n")) << text;
    EXPECT_TRUE(contains(text, "demo_seconds_count{op=\"search\"} 4\n")) << text;
}

TEST(Metrics, FamiliesAndCollectorsAreSortedByName) {
    registry r;
    r.counters("b_total", "b").with({}).inc();
    const auto handle = r.add({"a_open", "a", kind::gauge, {"uri"}, [] {
                                   return std::vector<sample>{{{"ldap://x"}, 2}};
                               }});
    r.counters("c_total", "c").with({}).inc();
    const std::string text = r.expose();
    EXPECT_LT(text.find("a_open{uri=\"ldap://x\"} 2\n"), text.find("b_total 1\n")) << text;
    EXPECT_LT(text.find("b_total 1\n"), text.find("c_total 1\n")) << text;
}

TEST(Metrics, CollectorLeavesTheScrapeWithItsHandle) {
    registry r;
    {
        const auto handle = r.add({"gone_open", "g", kind::gauge, {}, [] {
                                       return std::vector<sample>{{{}, 1}};
                                   }});
        EXPECT_TRUE(contains(r.expose(), "gone_open 1\n"));
    }
    EXPECT_FALSE(contains(r.expose(), "gone_open"));
}

TEST(Metrics, CountsFromManyThreadsAddUp) {
    registry r;
    auto& f = r.counters("threads_total", "t", {"who"});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&f] {
            for (int i = 0; i < 10000; ++i) {
                f.with({"same"}).inc();
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(f.with({"same"}).value(), 40000u);
}

TEST(Metrics, ANewRegistryDoesNotSeeAnOldOnesCells) {
    // The per-thread cache is keyed by family id, not address: a family made where a destroyed
    // one lived starts from zero.
    for (int round = 0; round < 3; ++round) {
        registry r;
        auto& c = r.counters("round_total", "r", {"x"}).with({"y"});
        EXPECT_EQ(c.value(), 0u);
        c.inc();
    }
}

TEST(Metrics, ValuesAreWrittenAsPrometheusReadsThem) {
    EXPECT_EQ(format_value(3), "3");
    EXPECT_EQ(format_value(0.25), "0.25");
    EXPECT_EQ(format_value(0.0005), "0.0005");
    EXPECT_EQ(format_value(1e6), "1000000");
    EXPECT_EQ(format_value(1.0 / 0.0), "+Inf");
}

}  // namespace
}  // namespace scimldap::metrics
