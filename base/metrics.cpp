#include "base/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace scimldap::metrics {
namespace {

struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

/// Per thread: label values → cell, one map per family, indexed by family id. Ids, not
/// addresses: a family destroyed (in a unit test) and another made at its address must not find
/// the first one's cells. Ids are small and dense, so a vector finds the map without hashing.
using children_cache = std::unordered_map<std::string, void*, string_hash, std::equal_to<>>;
using thread_cache = std::vector<std::unique_ptr<children_cache>>;

std::atomic<std::uint64_t> next_family_id{1};

std::string_view type_name(kind k) {
    switch (k) {
        case kind::counter:
            return "counter";
        case kind::histogram:
            return "histogram";
        case kind::gauge:
        default:
            return "gauge";
    }
}

// Backslash and newline always; the double quote only in label values (format 0.0.4: HELP
// text keeps it as it is).
std::string escaped(std::string_view v, bool quote) {
    std::string out;
    out.reserve(v.size());
    for (const char c : v) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '"' && quote) {
            out += "\\\"";
        } else {
            out += c;
        }
    }
    return out;
}

std::string render_labels(const std::vector<std::string>& names,
                          const std::vector<std::string_view>& values) {
    if (names.empty()) {
        return {};
    }
    std::string out = "{";
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : ",") + names[i] + "=\"" +
               escape_label_value(i < values.size() ? values[i] : std::string_view()) + "\"";
    }
    return out + "}";
}

// `{a="x"}` + `le="0.5"` → `{a="x",le="0.5"}`.
std::string with_label(const std::string& labels, std::string_view extra) {
    if (labels.empty()) {
        return "{" + std::string(extra) + "}";
    }
    return labels.substr(0, labels.size() - 1) + "," + std::string(extra) + "}";
}

void write_help_and_type(std::string& out, std::string_view name, std::string_view help, kind k) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += escaped(help, false);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type_name(k);
    out += '\n';
}

void write_sample(std::string& out, std::string_view name, std::string_view labels,
                  std::string_view value) {
    out += name;
    out += labels;
    out += ' ';
    out += value;
    out += '\n';
}

}  // namespace

std::string escape_label_value(std::string_view v) {
    return escaped(v, true);
}

std::string format_value(double v) {
    if (std::isnan(v)) {
        return "NaN";
    }
    if (std::isinf(v)) {
        return v > 0 ? "+Inf" : "-Inf";
    }
    // Plain decimals as other Prometheus clients write them (le="0.0005", not "5e-04"), so
    // queries matching a bucket's label find it; exponent form only when that would be long.
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    if (r.ec != std::errc()) {
        r = std::to_chars(buf, buf + sizeof buf, v);
    }
    return std::string(buf, r.ptr);
}

// --- histogram ---------------------------------------------------------------------------

histogram::histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        buckets_[i].store(0, std::memory_order_relaxed);
    }
}

void histogram::observe(double v) {
    // Only the bucket the value falls in is counted; cumulative counts are summed on read, so an
    // observation costs one increment, not one per bucket above it.
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
    buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1,
                                                                       std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
}

histogram::reading histogram::read() const {
    reading r;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        r.cumulative.push_back(running);
    }
    r.sum = sum_.load(std::memory_order_relaxed);
    return r;
}

const std::vector<double>& latency_buckets() {
    static const std::vector<double> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                            0.1,    0.25,  0.5,    1,     2.5,  5,     10};
    return bounds;
}

// --- families ----------------------------------------------------------------------------

family_base::family_base(std::string name, std::string help, std::vector<std::string> labels,
                         kind k)
    : name_(std::move(name)),
      help_(std::move(help)),
      labels_(std::move(labels)),
      kind_(k),
      id_(next_family_id.fetch_add(1)) {}

void* family_base::child(std::initializer_list<std::string_view> values,
                         const std::function<std::shared_ptr<void>()>& make) {
    thread_local thread_cache cache;
    thread_local std::string key;
    key.clear();
    for (const auto v : values) {
        key += v;
        key += '\x1f';  // unit separator: cannot end a label value that matters here
    }
    if (cache.size() <= id_) {
        cache.resize(id_ + 1);
    }
    if (!cache[id_]) {
        cache[id_] = std::make_unique<children_cache>();
    }
    auto& mine = *cache[id_];
    if (const auto it = mine.find(std::string_view(key)); it != mine.end()) {
        return it->second;
    }
    const std::vector<std::string_view> list(values);
    std::string rendered = render_labels(labels_, list);
    void* cell = nullptr;
    {
        const std::lock_guard lock(mutex_);
        auto& slot = children_[rendered];
        if (!slot) {
            slot = make();
        }
        cell = slot.get();
    }
    mine.emplace(key, cell);
    return cell;
}

void family_base::write(std::string& out) const {
    write_help_and_type(out, name_, help_, kind_);
    const std::lock_guard lock(mutex_);
    for (const auto& [labels, cell] : children_) {
        write_child(out, labels, cell.get());
    }
}

void family_base::write_value(std::string& out, const std::string& labels,
                              const std::string& value) const {
    write_sample(out, name_, labels, value);
}

void family<histogram>::write_child(std::string& out, const std::string& labels,
                                    const void* cell) const {
    const auto r = static_cast<const histogram*>(cell)->read();
    const std::string bucket = name() + "_bucket";
    for (std::size_t i = 0; i < r.cumulative.size(); ++i) {
        const std::string le = i < bounds_.size() ? format_value(bounds_[i]) : "+Inf";
        write_sample(out, bucket, with_label(labels, "le=\"" + le + "\""),
                     std::to_string(r.cumulative[i]));
    }
    write_sample(out, name() + "_sum", labels, format_value(r.sum));
    write_sample(out, name() + "_count", labels, std::to_string(r.cumulative.back()));
}

// --- registry ----------------------------------------------------------------------------

registry& registry::global() {
    static registry r;
    return r;
}

template <class F, class... Args>
F& registry::find_or_add(const std::string& name, Args&&... args) {
    const std::lock_guard lock(mutex_);
    auto& slot = families_[name];
    if (!slot) {
        slot = std::make_unique<F>(name, std::forward<Args>(args)...);
    }
    // One name, one kind: asking for it as another kind is a programming error.
    return dynamic_cast<F&>(*slot);
}

family<counter>& registry::counters(std::string name, std::string help,
                                    std::vector<std::string> labels) {
    return find_or_add<family<counter>>(name, std::move(help), std::move(labels));
}

family<gauge>& registry::gauges(std::string name, std::string help,
                                std::vector<std::string> labels) {
    return find_or_add<family<gauge>>(name, std::move(help), std::move(labels));
}

family<histogram>& registry::histograms(std::string name, std::string help,
                                        std::vector<std::string> labels,
                                        const std::vector<double>& bounds) {
    return find_or_add<family<histogram>>(name, std::move(help), std::move(labels), bounds);
}

registry::collector_handle::collector_handle(collector_handle&& o) noexcept
    : registry_(o.registry_), id_(o.id_) {
    o.registry_ = nullptr;
}

registry::collector_handle& registry::collector_handle::operator=(collector_handle&& o) noexcept {
    if (this != &o) {
        if (registry_ != nullptr) {
            registry_->remove(id_);
        }
        registry_ = o.registry_;
        id_ = o.id_;
        o.registry_ = nullptr;
    }
    return *this;
}

registry::collector_handle::~collector_handle() {
    if (registry_ != nullptr) {
        registry_->remove(id_);
    }
}

registry::collector_handle registry::add(collector c) {
    const std::lock_guard lock(mutex_);
    const auto id = next_id_++;
    collectors_.emplace(id, std::move(c));
    return collector_handle(this, id);
}

void registry::remove(std::uint64_t id) {
    const std::lock_guard scraping(scrape_mutex_);
    const std::lock_guard lock(mutex_);
    collectors_.erase(id);
}

std::string registry::expose() const {
    // Held while collectors read their owners: an owner's handle (its destructor) waits for the
    // scrape to finish instead of leaving it reading freed memory. Collectors are read outside
    // mutex_, as they may take their owners' locks.
    const std::lock_guard scraping(scrape_mutex_);
    std::vector<collector> collected;
    std::vector<const family_base*> families;
    {
        const std::lock_guard lock(mutex_);
        for (const auto& [id, c] : collectors_) {
            collected.push_back(c);
        }
        for (const auto& [name, f] : families_) {
            families.push_back(f.get());
        }
    }
    // Collectors of one name (two services in one process) are written as one family.
    std::map<std::string, std::vector<const collector*>> by_name;
    for (const auto& c : collected) {
        by_name[c.name].push_back(&c);
    }
    std::string out;
    auto f = families.begin();
    auto c = by_name.begin();
    while (f != families.end() || c != by_name.end()) {
        if (c == by_name.end() || (f != families.end() && (*f)->name() < c->first)) {
            (*f++)->write(out);
            continue;
        }
        const collector& first = *c->second.front();
        write_help_and_type(out, first.name, first.help, first.type);
        // Two owners reporting one series (an old and a new LDAP client during a reload) are
        // summed: a series appears once.
        std::map<std::string, double> series;
        for (const collector* one : c->second) {
            for (const sample& s : one->read()) {
                const std::vector<std::string_view> values(s.label_values.begin(),
                                                           s.label_values.end());
                series[render_labels(one->labels, values)] += s.value;
            }
        }
        for (const auto& [labels, value] : series) {
            write_sample(out, first.name, labels, format_value(value));
        }
        ++c;
    }
    return out;
}

}  // namespace scimldap::metrics
