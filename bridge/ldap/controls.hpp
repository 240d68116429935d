// Builders for request controls and parsers for response controls (BER via libldap's encoders).
#pragma once

#include "base/ldap_types.hpp"
#include "bridge/ldap/ldap_error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::ldap::oids {

inline constexpr std::string_view assertion = "1.3.6.1.1.12";                // RFC 4528
inline constexpr std::string_view pre_read = "1.3.6.1.1.13.1";               // RFC 4527
inline constexpr std::string_view post_read = "1.3.6.1.1.13.2";              // RFC 4527
inline constexpr std::string_view paged_results = "1.2.840.113556.1.4.319";  // RFC 2696
inline constexpr std::string_view sort_request = "1.2.840.113556.1.4.473";   // RFC 2891
inline constexpr std::string_view sort_response = "1.2.840.113556.1.4.474";
inline constexpr std::string_view vlv_request = "2.16.840.1.113730.3.4.9";
inline constexpr std::string_view vlv_response = "2.16.840.1.113730.3.4.10";
inline constexpr std::string_view deref = "1.3.6.1.4.1.4203.666.5.16";
inline constexpr std::string_view permissive_modify = "1.2.840.113556.1.4.1413";
inline constexpr std::string_view txn_spec = "1.3.6.1.1.21.2";                 // RFC 5805
inline constexpr std::string_view matched_values = "1.2.826.0.1.3344810.2.3";  // RFC 3876

inline constexpr std::string_view password_modify = "1.3.6.1.4.1.4203.1.11.1";  // RFC 3062
inline constexpr std::string_view who_am_i = "1.3.6.1.4.1.4203.1.11.3";         // RFC 4532
inline constexpr std::string_view txn_start = "1.3.6.1.1.21.1";                 // RFC 5805
inline constexpr std::string_view txn_end = "1.3.6.1.1.21.3";

}  // namespace scimldap::ldap::oids

namespace scimldap::ldap::controls {

/// Assertion control (RFC 4528): the operation fails with assertionFailed (122) unless the
/// target entry matches the filter, e.g. (entryCSN=...).
result<control> assertion(const filter& condition, bool critical = true);

/// Post-read (RFC 4527 §3.2) / pre-read: the response carries the entry with these attributes.
control post_read(const std::vector<std::string>& attributes, bool critical = false);
control pre_read(const std::vector<std::string>& attributes, bool critical = false);

/// Paged results (RFC 2696); cookie is empty on the first request.
result<control> paged_results(int page_size, std::string_view cookie, bool critical = false);

/// One key of a server-side sort (RFC 2891).
struct sort_key {
    std::string attribute;
    std::string ordering_rule;  // empty: the attribute's ordering rule
    bool reverse = false;
};
result<control> server_sort(const std::vector<sort_key>& keys, bool critical = false);

/// Virtual list view request (draft-ietf-ldapext-ldapv3-vlv): by offset, or by assertion value
/// when target_value is set. context_id is the one the previous response returned.
struct vlv_request {
    int before_count = 0;
    int after_count = 0;
    int offset = 1;         // 1-based target position
    int content_count = 0;  // 0: the client does not know the size yet
    std::optional<std::string> target_value;
    std::optional<std::string> context_id;
};
result<control> vlv(const vlv_request& request, bool critical = true);

/// Dereference control: for every DN value of deref_attribute, return these attributes of the
/// entry it names.
struct deref_spec {
    std::string deref_attribute;
    std::vector<std::string> attributes;
};
result<control> deref(const std::vector<deref_spec>& specs, bool critical = false);

/// Permissive modify: adding a present value / deleting an absent one is not an error. Not
/// advertised by slapd (check server_features before relying on it).
control permissive_modify(bool critical = false);

/// Matched values (RFC 3876): the entries a search returns carry only the values of the
/// filtered attributes that match `values_filter`, a ValuesReturnFilter in string form such as
/// "((member=cn=a,o=x)(member=cn=b,o=x))" (values RFC 4515-escaped).
result<control> matched_values(const std::string& values_filter, bool critical = true);

/// Transaction specification control (RFC 5805 §2.2): the value is the transaction identifier.
control txn_spec(std::string_view txn_id);

/// The paged results response: the server's estimate and the cookie for the next page
/// (empty when the walk is over).
struct paged_response {
    int estimate = 0;
    std::string cookie;
};
result<paged_response> parse_paged_results(const std::vector<control>& response_controls);

/// The server-side sort response: the sort's result code and the attribute that failed.
struct sort_response {
    int result_code = 0;
    std::string attribute;
};
result<sort_response> parse_server_sort(const std::vector<control>& response_controls);

struct vlv_response {
    int target_position = 0;
    int content_count = 0;
    int result_code = 0;
    std::optional<std::string> context_id;
};
result<vlv_response> parse_vlv(const std::vector<control>& response_controls);

/// One dereferenced value: the DN the attribute held and the attributes of the entry it names.
struct deref_value {
    std::string deref_attribute;
    dn name;
    std::vector<attribute> attributes;
};
/// The dereference response attached to one search entry (entry::controls).
result<std::vector<deref_value>> parse_deref(const std::vector<control>& entry_controls);

/// The entry a pre-/post-read response control carries (RFC 4527 §3.3: a SearchResultEntry).
result<entry> parse_read_entry(const std::vector<control>& response_controls,
                               std::string_view oid = oids::post_read);

}  // namespace scimldap::ldap::controls

namespace scimldap::ldap::extended_values {

/// PasswdModifyRequestValue (RFC 3062 §2): any field may be absent.
std::string password_modify(const std::optional<dn>& user,
                            const std::optional<std::string>& old_password,
                            const std::optional<std::string>& new_password);
/// The generated password of a PasswdModifyResponseValue, if the server made one.
result<std::optional<std::string>> parse_password_modify(const std::optional<std::string>& value);
/// TxnEndReq (RFC 5805 §2.3): commit or abort the transaction.
std::string txn_end(std::string_view txn_id, bool commit);

}  // namespace scimldap::ldap::extended_values
