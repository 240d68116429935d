// Typed reads of config and profile JSON that record every problem with its JSON path.
#pragma once

#include "mapping/config_loader.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scimldap::mapping {

/// The errors found in one file so far.
class error_list {
public:
    explicit error_list(std::string file) : file_(std::move(file)) {}
    void add(std::string path, std::string message);
    bool empty() const { return errors_.empty(); }
    const std::string& file() const { return file_; }
    std::vector<config_error>& errors() { return errors_; }

private:
    std::string file_;
    std::vector<config_error> errors_;
};

/// "a.b" from ("a", "b"), "b" from ("", "b").
std::string join_path(std::string_view parent, std::string_view key);
/// "a[3]".
std::string index_path(std::string_view parent, std::size_t index);
/// "object", "string", ... as a message word.
std::string_view json_kind_name(const boost::json::value& v);

/// A key that is known to be wrong here, with the message that says what to do instead.
struct misplaced_key {
    std::string_view key;
    std::string_view message;
};

/// Reads one JSON object. Unknown keys are reported at construction ("$comment" is always
/// allowed, so admins can annotate any object); each accessor reports a wrong type or a missing
/// required key and returns nullopt/nullptr then.
class object_reader {
public:
    object_reader(const boost::json::value& value, std::string path, error_list& errors,
                  std::vector<std::string_view> known_keys,
                  const std::vector<misplaced_key>& misplaced = {});

    bool valid() const { return object_ != nullptr; }
    const std::string& path() const { return path_; }
    std::string path_of(std::string_view key) const { return join_path(path_, key); }
    const boost::json::value* find(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    void error(std::string_view key, std::string message) const;

    std::optional<std::string> string(std::string_view key, bool required = false) const;
    std::optional<bool> boolean(std::string_view key, bool required = false) const;
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max,
                                        bool required = false) const;
    std::optional<std::chrono::milliseconds> duration(std::string_view key,
                                                      bool required = false) const;
    std::optional<std::vector<std::string>> strings(std::string_view key,
                                                    bool required = false) const;
    const boost::json::array* array(std::string_view key, bool required = false) const;
    const boost::json::value* object(std::string_view key, bool required = false) const;

private:
    const boost::json::value* get(std::string_view key, bool required) const;
    void wrong_type(std::string_view key, std::string_view expected,
                    const boost::json::value& got) const;

    const boost::json::object* object_ = nullptr;
    std::string path_;
    error_list* errors_;
};

}  // namespace scimldap::mapping

namespace scimldap::mapping {

/// Parses strict JSON (no comments: annotate with "$comment" keys instead); a syntax error is
/// recorded with its line and column and nullopt returned.
std::optional<boost::json::value> parse_json_document(std::string_view text, error_list& errors);

}  // namespace scimldap::mapping
