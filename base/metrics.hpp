// Prometheus metrics: counters, gauges and histograms with labels, updated from any thread
// without a lock once a label set has been seen, and their text exposition (format 0.0.4).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace scimldap::metrics {

/// A count that only goes up.
class counter {
public:
    void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down (requests in flight).
class gauge {
public:
    void add(std::int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
    void set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
    std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> value_{0};
};

/// Observations counted in buckets by upper bound, with their count and sum.
class histogram {
public:
    /// `bounds` (ascending) must outlive the histogram: its family's.
    explicit histogram(const std::vector<double>& bounds);
    void observe(double v);
    /// Cumulative counts per bound (the last is +Inf, equal to the count), and the sum.
    struct reading {
        std::vector<std::uint64_t> cumulative;
        double sum = 0;
    };
    reading read() const;
    const std::vector<double>& bounds() const { return bounds_; }

private:
    const std::vector<double>& bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds.size() + 1 (+Inf)
    std::atomic<double> sum_{0};
};

/// Latency buckets in seconds, 0.5 ms to 10 s (Prometheus client defaults with finer low end).
const std::vector<double>& latency_buckets();

/// What a family is, for `# TYPE`.
enum class kind { counter, gauge, histogram };

/// One metric name, its help text and label names; the children by label values.
class family_base {
public:
    family_base(std::string name, std::string help, std::vector<std::string> labels, kind k);
    virtual ~family_base() = default;
    family_base(const family_base&) = delete;
    family_base& operator=(const family_base&) = delete;

    const std::string& name() const { return name_; }
    /// Appends HELP, TYPE and every child's samples.
    void write(std::string& out) const;

protected:
    /// The child for `values` (one per label name), made by `make` the first time; later
    /// calls from the same thread find it without taking the lock.
    void* child(std::initializer_list<std::string_view> values,
                const std::function<std::shared_ptr<void>()>& make);
    virtual void write_child(std::string& out, const std::string& labels,
                             const void* cell) const = 0;
    /// One `name{labels} value` line.
    void write_value(std::string& out, const std::string& labels, const std::string& value) const;

private:
    std::string name_;
    std::string help_;
    std::vector<std::string> labels_;
    kind kind_;
    std::uint64_t id_;  // the key of this family in each thread's cache of children
    mutable std::mutex mutex_;
    /// Rendered `{a="x",b="y"}` → cell; cells are never removed, so pointers stay valid.
    std::map<std::string, std::shared_ptr<void>> children_;
};

/// A counter or gauge family: `with(values)` is the child for those label values.
template <class Cell>
class family final : public family_base {
public:
    family(std::string name, std::string help, std::vector<std::string> labels)
        : family_base(std::move(name), std::move(help), std::move(labels),
                      std::is_same_v<Cell, counter> ? kind::counter : kind::gauge) {}
    Cell& with(std::initializer_list<std::string_view> values) {
        return *static_cast<Cell*>(child(values, [] { return std::make_shared<Cell>(); }));
    }

private:
    void write_child(std::string& out, const std::string& labels, const void* cell) const override {
        write_value(out, labels, std::to_string(static_cast<const Cell*>(cell)->value()));
    }
};

template <>
class family<histogram> final : public family_base {
public:
    family(std::string name, std::string help, std::vector<std::string> labels,
           const std::vector<double>& bounds)
        : family_base(std::move(name), std::move(help), std::move(labels), kind::histogram),
          bounds_(bounds) {}
    histogram& with(std::initializer_list<std::string_view> values) {
        return *static_cast<histogram*>(
            child(values, [this] { return std::make_shared<histogram>(bounds_); }));
    }

private:
    void write_child(std::string& out, const std::string& labels, const void* cell) const override;
    const std::vector<double>
        bounds_;  // a copy: the cells refer to it, and the family outlives them
};

/// A sample computed when scraped (connections open, process memory).
struct sample {
    std::vector<std::string> label_values;
    double value = 0;
};

/// Samples of one gauge or counter family read from elsewhere at scrape time.
struct collector {
    std::string name;
    std::string help;
    kind type = kind::gauge;
    std::vector<std::string> labels;
    std::function<std::vector<sample>()> read;
};

/// Every family and collector of the process; scraped as one text.
class registry {
public:
    /// The process's registry: metrics are process-wide, like the process they describe.
    static registry& global();

    family<counter>& counters(std::string name, std::string help,
                              std::vector<std::string> labels = {});
    family<gauge>& gauges(std::string name, std::string help, std::vector<std::string> labels = {});
    family<histogram>& histograms(std::string name, std::string help,
                                  std::vector<std::string> labels,
                                  const std::vector<double>& bounds = latency_buckets());

    /// Keeps `c` in the scrape until the returned handle is destroyed (its owner goes away).
    class collector_handle {
    public:
        collector_handle() = default;
        collector_handle(registry* r, std::uint64_t id) : registry_(r), id_(id) {}
        collector_handle(collector_handle&& o) noexcept;
        collector_handle& operator=(collector_handle&& o) noexcept;
        collector_handle(const collector_handle&) = delete;
        collector_handle& operator=(const collector_handle&) = delete;
        ~collector_handle();

    private:
        registry* registry_ = nullptr;
        std::uint64_t id_ = 0;
    };
    [[nodiscard]] collector_handle add(collector c);

    /// The text exposition format, version 0.0.4, families sorted by name.
    std::string expose() const;

private:
    template <class F, class... Args>
    F& find_or_add(const std::string& name, Args&&... args);
    void remove(std::uint64_t id);

    /// Held by a scrape while collectors read their owners, and by remove(). Recursive: an
    /// owner destroyed during a scrape, on its thread, removes its collectors without waiting
    /// for itself.
    mutable std::recursive_mutex scrape_mutex_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<family_base>> families_;
    std::map<std::uint64_t, collector> collectors_;
    std::uint64_t next_id_ = 1;
};

/// A label value as the exposition format writes it: backslash, quote and newline escaped.
std::string escape_label_value(std::string_view v);
/// A sample value: integers without a fraction, +Inf/-Inf/NaN spelled as Prometheus reads them.
std::string format_value(double v);

}  // namespace scimldap::metrics
