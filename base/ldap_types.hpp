// Value types of the LDAP layer: names, filters, entries, modifications and controls.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::ldap {

/// A distinguished name in RFC 4514 string form, already escaped. Build it with dn_escape().
class dn {
public:
    dn() = default;
    explicit dn(std::string value) : value_(std::move(value)) {}
    const std::string& str() const { return value_; }
    bool empty() const { return value_.empty(); }
    friend bool operator==(const dn&, const dn&) = default;

private:
    std::string value_;
};

/// An LDAP search filter in RFC 4515 string form; values inside are already escaped.
class filter {
public:
    filter() = default;
    explicit filter(std::string value) : value_(std::move(value)) {}
    const std::string& str() const { return value_; }
    friend bool operator==(const filter&, const filter&) = default;

private:
    std::string value_;
};

enum class scope { base = 0, one = 1, sub = 2 };

/// One attribute of an entry: its description as the server returned it and its values.
struct attribute {
    std::string name;
    std::vector<std::string> values;
    /// How many values the server returned, when the search counted them instead
    /// (search_request::count_values); 0 otherwise.
    std::size_t value_count = 0;
};

/// A request or response control: OID, BER-encoded value (may be empty), criticality.
struct control {
    std::string oid;
    std::optional<std::string> value;
    bool critical = false;
};

/// The control with this OID in a response, or nullptr.
const control* find_control(const std::vector<control>& controls, std::string_view oid);

/// One entry returned by a search.
struct entry {
    dn name;
    std::vector<attribute> attributes;
    /// Response controls attached to this entry (e.g. the dereference control's values).
    std::vector<control> controls;

    /// Values of an attribute, matched case-insensitively; nullptr when absent.
    const std::vector<std::string>* find(std::string_view attr) const;
    /// First value of an attribute or nullopt.
    std::optional<std::string> first(std::string_view attr) const;
};

enum class mod_op { add = 0, remove = 1, replace = 2 };

/// One change of an LDAP modify: remove with no values deletes the whole attribute.
struct modification {
    mod_op op;
    std::string attribute;
    std::vector<std::string> values;
};

struct search_request {
    dn base;
    ldap::scope scope = ldap::scope::sub;
    ldap::filter filter{"(objectClass=*)"};
    /// Attributes to return; empty means none but the DN ("1.1").
    std::vector<std::string> attributes;
    std::vector<control> controls;
    int size_limit = 0;
    /// Entries come with each attribute's values counted (attribute::value_count), not held:
    /// sizing up a 100,000-member group costs its encoded bytes, not a string per member.
    bool count_values = false;
    /// A read-only replica (ldap.read_uris) may answer: the caller does not need its own writes
    /// in the result. Without a bound replica connection the write target answers.
    bool from_replica = false;
};

struct search_result {
    std::vector<entry> entries;
    std::vector<std::string> referrals;
    std::vector<control> controls;  // response controls of the searchResultDone
};

/// The outcome of a write (add, modify, rename, delete) when it succeeded.
struct write_result {
    std::vector<control> controls;  // e.g. the post-read control's entry
};

struct extended_result {
    std::optional<std::string> oid;
    std::optional<std::string> value;
    std::vector<control> controls;
};

}  // namespace scimldap::ldap
