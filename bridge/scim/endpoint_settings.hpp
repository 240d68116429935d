// Settings the resource endpoints share: page sizes, the limits on large reads and the scheme
// of absolute locations.
#pragma once

#include "bridge/scim/read_limiter.hpp"
#include "bridge/scim/short_member_lists.hpp"
#include "mapping/profile.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace scimldap::scim {

/// Page sizes: the default when the client sends no count and the most one page returns.
struct paging_limits {
    int default_count = 100;
    int max_count = 1000;
};

/// What bounds the memory of large answers: the walks running at once, the entries of walked
/// pages being read at once, and the most members a group returns inline (a larger group
/// answers 400 tooMany unless members are excluded).
struct read_limits {
    std::shared_ptr<read_limiter> walks = std::make_shared<read_limiter>(read_caps{});
    std::shared_ptr<read_limiter> page_entries = std::make_shared<read_limiter>(
        read_caps{4000, 2000, std::chrono::milliseconds(10'000), "entries of large pages"});
    /// Group reads with their members (member_reads.hpp): counting the members holds the
    /// encoded list (~4.6 MB for 100,000) for one round trip, reading a long list its resolved
    /// members for the whole read, so only so many of each run at once.
    std::shared_ptr<read_limiter> member_counts = std::make_shared<read_limiter>(
        read_caps{4, 2, std::chrono::milliseconds(10'000), "group member counts"});
    std::shared_ptr<read_limiter> member_lists = std::make_shared<read_limiter>(
        read_caps{4, 2, std::chrono::milliseconds(10'000), "group reads with members"});
    /// Groups recently seen or created with a short member list: counted without a turn.
    std::shared_ptr<short_member_lists> short_lists =
        std::make_shared<short_member_lists>(std::chrono::seconds(60), 10'000);
    std::size_t max_members_inline = 10'000;
};

/// The limits a config asks for: walks as given; walked pages up to max_walks (per tenant:
/// max_walks_per_tenant) pages of max_count entries.
read_limits make_read_limits(std::size_t max_walks, std::size_t max_walks_per_tenant,
                             std::chrono::milliseconds queue_timeout, int max_count,
                             std::size_t max_members_inline);

/// Cursor paging (RFC 9865): the key that signs cursors (scim.cursor_key_file, else one drawn
/// per process) and how long a cursor stays valid (cursorTimeout).
struct cursor_settings {
    std::string key;
    std::chrono::milliseconds timeout{3'600'000};
};

struct endpoint_settings {
    /// Scheme of meta.location without X-Forwarded-Proto: "https" behind a TLS listener.
    std::string default_scheme = "http";
    paging_limits paging;
    read_limits reads;
    cursor_settings cursors;
    /// ldap.read_uris is set: reads that need not see this bridge's writes go to a replica.
    bool replicas = false;
    /// After a write in a tenant, its reads stay on the write target this long
    /// (ldap.read_your_writes).
    std::chrono::milliseconds read_your_writes{5'000};
};

}  // namespace scimldap::scim
