// Failure-injection seams for integration tests; empty (and free) in production.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string_view>

namespace scimldap::scim::test_hooks {

/// Called after a read-modify-write has read the entry (id) and before it writes: a test sets
/// it to change the entry in LDAP at exactly that moment, to prove the conditional write
/// (assertion on entryCSN) re-reads and re-applies instead of losing the other change.
inline std::function<void(std::string_view id)> between_read_and_write;

/// Called after a create's add succeeded (dn) and before its further steps (Password Modify,
/// role groups, the last write that clears the pending mark): a test freezes the directory
/// here to make exactly those steps fail.
inline std::function<void(std::string_view dn)> after_create_add;

/// Called after a PUT or PATCH wrote the user's own entry (dn) and before the password and the
/// role moves: a test freezes the directory here to make exactly those steps fail.
inline std::function<void(std::string_view dn)> after_user_write;

/// Awaited by a key walk once it has its turn (the walk limiter) and before it searches: a test
/// holds the walk there to see what other requests get meanwhile.
inline std::function<boost::asio::awaitable<void>()> walk_started;

/// Awaited by a group read with members once it has its turn to count them and before it
/// does: a test holds it there.
inline std::function<boost::asio::awaitable<void>()> member_count_started;

/// Awaited by a group read with members once they are counted and the read knows whether it
/// keeps its turn (`keeps_turn`: a long list) and before it reads them: a test holds it there.
inline std::function<boost::asio::awaitable<void>(bool keeps_turn)> member_list_read;

}  // namespace scimldap::scim::test_hooks
