#include "mapping/json_reader.hpp"

#include "mapping/duration.hpp"
#include "mapping/suggest.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace scimldap::mapping {

void error_list::add(std::string path, std::string message) {
    errors_.push_back(config_error{file_, std::move(path), std::move(message)});
}

std::string join_path(std::string_view parent, std::string_view key) {
    if (parent.empty()) {
        return std::string(key);
    }
    std::string out(parent);
    out += '.';
    out += key;
    return out;
}

std::string index_path(std::string_view parent, std::size_t index) {
    return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string_view json_kind_name(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::null:
            return "null";
        case boost::json::kind::bool_:
            return "a boolean";
        case boost::json::kind::int64:
        case boost::json::kind::uint64:
            return "an integer";
        case boost::json::kind::double_:
            return "a number";
        case boost::json::kind::string:
            return "a string";
        case boost::json::kind::array:
            return "an array";
        case boost::json::kind::object:
            return "an object";
    }
    return "a value";
}

object_reader::object_reader(const boost::json::value& value, std::string path, error_list& errors,
                             std::vector<std::string_view> known_keys,
                             const std::vector<misplaced_key>& misplaced)
    : path_(std::move(path)), errors_(&errors) {
    object_ = value.if_object();
    if (object_ == nullptr) {
        errors_->add(path_.empty() ? "$" : path_,
                     "expected an object, got " + std::string(json_kind_name(value)));
        return;
    }
    for (const auto& member : *object_) {
        // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
        const std::string_view key = member.key();
        if (key == "$comment" ||
            std::find(known_keys.begin(), known_keys.end(), key) != known_keys.end()) {
            continue;
        }
        const auto hint = std::find_if(misplaced.begin(), misplaced.end(),
                                       [&](const misplaced_key& m) { return m.key == key; });
        if (hint != misplaced.end()) {
            errors_->add(path_of(key), std::string(hint->message));
            continue;
        }
        std::string message = "unknown key \"" + std::string(key) + "\"";
        const auto suggestion = closest_match(key, known_keys);
        if (suggestion) {
            message += "; did you mean \"" + *suggestion + "\"?";
        } else {
            std::string list;
            for (const auto k : known_keys) {
                list += list.empty() ? "" : ", ";
                list += k;
            }
            message += "; allowed here: " + list;
        }
        errors_->add(path_of(key), std::move(message));
    }
}

const boost::json::value* object_reader::find(std::string_view key) const {
    if (object_ == nullptr) {
        return nullptr;
    }
    return object_->if_contains(key);
}

void object_reader::error(std::string_view key, std::string message) const {
    errors_->add(key.empty() ? path_ : path_of(key), std::move(message));
}

const boost::json::value* object_reader::get(std::string_view key, bool required) const {
    const auto* v = find(key);
    if (v == nullptr && required && object_ != nullptr) {
        error(key, "required key is missing: add \"" + std::string(key) + "\"");
    }
    return v;
}

void object_reader::wrong_type(std::string_view key, std::string_view expected,
                               const boost::json::value& got) const {
    error(key, "expected " + std::string(expected) + ", got " + std::string(json_kind_name(got)));
}

std::optional<std::string> object_reader::string(std::string_view key, bool required) const {
    const auto* v = get(key, required);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (!v->is_string()) {
        wrong_type(key, "a string", *v);
        return std::nullopt;
    }
    return std::string(v->get_string());
}

std::optional<bool> object_reader::boolean(std::string_view key, bool required) const {
    const auto* v = get(key, required);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (!v->is_bool()) {
        wrong_type(key, "true or false", *v);
        return std::nullopt;
    }
    return v->get_bool();
}

std::optional<std::int64_t> object_reader::integer(std::string_view key, std::int64_t min,
                                                   std::int64_t max, bool required) const {
    const auto* v = get(key, required);
    if (v == nullptr) {
        return std::nullopt;
    }
    std::optional<std::int64_t> n;
    if (v->is_int64()) {
        n = v->get_int64();
    } else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(max)) {
        n = static_cast<std::int64_t>(v->get_uint64());
    } else if (!v->is_uint64()) {
        wrong_type(key, "an integer", *v);
        return std::nullopt;
    }
    if (!n || *n < min || *n > max) {
        error(key, "out of range: use an integer from " + std::to_string(min) + " to " +
                       std::to_string(max));
        return std::nullopt;
    }
    return n;
}

std::optional<std::chrono::milliseconds> object_reader::duration(std::string_view key,
                                                                 bool required) const {
    const auto* v = get(key, required);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (!v->is_string()) {
        wrong_type(key, "a duration string such as \"250ms\", \"5s\" or \"2m\"", *v);
        return std::nullopt;
    }
    const auto d = parse_duration(v->get_string());
    if (!d) {
        error(key, "\"" + std::string(v->get_string()) +
                       "\" is not a duration: write a whole number and one unit (ms, s, m, h, d), "
                       "e.g. \"250ms\", \"5s\", \"2m\"");
    }
    return d;
}

std::optional<std::vector<std::string>> object_reader::strings(std::string_view key,
                                                               bool required) const {
    const auto* a = array(key, required);
    if (a == nullptr) {
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (std::size_t i = 0; i < a->size(); ++i) {
        const auto& item = (*a)[i];
        if (!item.is_string()) {
            errors_->add(index_path(path_of(key), i),
                         "expected a string, got " + std::string(json_kind_name(item)));
            ok = false;
            continue;
        }
        out.emplace_back(item.get_string());
    }
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

const boost::json::array* object_reader::array(std::string_view key, bool required) const {
    const auto* v = get(key, required);
    if (v == nullptr) {
        return nullptr;
    }
    if (!v->is_array()) {
        wrong_type(key, "an array", *v);
        return nullptr;
    }
    return &v->get_array();
}

const boost::json::value* object_reader::object(std::string_view key, bool required) const {
    const auto* v = get(key, required);
    if (v == nullptr) {
        return nullptr;
    }
    if (!v->is_object()) {
        wrong_type(key, "an object", *v);
        return nullptr;
    }
    return v;
}

}  // namespace scimldap::mapping

namespace scimldap::mapping {

std::optional<boost::json::value> parse_json_document(std::string_view text, error_list& errors) {
    boost::json::stream_parser parser;
    boost::system::error_code ec;
    const std::size_t consumed = parser.write(text.data(), text.size(), ec);
    if (!ec) {
        parser.finish(ec);
    }
    if (ec) {
        const std::size_t offset = std::min(consumed, text.size());
        std::size_t line = 1;
        std::size_t column = 1;
        for (std::size_t i = 0; i < offset; ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        errors.add("$", "not valid JSON at line " + std::to_string(line) + ", column " +
                            std::to_string(column) + ": " + ec.message() +
                            " (comments are not JSON: use a \"$comment\" key)");
        return std::nullopt;
    }
    return parser.release();
}

}  // namespace scimldap::mapping
