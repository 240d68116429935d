// One LDAP request in flight: how to send it, when it expires, and whom to resume with the answer.
#pragma once

#include "base/ldap_types.hpp"

#include <ldap.h>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace scimldap::ldap::detail {

using clock = std::chrono::steady_clock;

/// Everything the server answered to one request, before it is shaped into a public result.
struct response {
    int code = 0;
    std::string diagnostic;
    std::string matched_dn;
    std::vector<entry> entries;
    std::vector<std::string> referrals;
    std::vector<control> controls;
    std::optional<std::string> oid;    // extended response name
    std::optional<std::string> value;  // extended response value
};

using response_handler = boost::asio::any_completion_handler<void(response)>;

/// Sends the request on a handle (server controls given); returns a libldap code, sets msgid.
using request_sender = std::function<int(LDAP* ld, LDAPControl** server_controls, int* msgid)>;

/// A request and its waiting caller. Owned by whichever queue holds it; completed exactly once.
class operation {
public:
    /// resume_on: the caller's executor (the handler's associated one).
    operation(request_sender sender, std::vector<control> controls, clock::time_point deadline,
              response_handler handler, boost::asio::any_io_executor resume_on);

    /// Encodes the controls and hands the request to libldap (non-blocking: it lands in the
    /// handle's write batch).
    int send(LDAP* ld, int* msgid);
    /// Resumes the caller on its own executor (never inline on the connection's strand). Safe
    /// from any thread: the first completion wins (a cancelled caller races the answer).
    void complete(response r);
    void fail(int code, std::string diagnostic);

    bool done() const { return completed_.load(std::memory_order_acquire); }
    clock::time_point deadline() const { return deadline_; }
    /// When it went out on a connection (set by the connection, read on its strand).
    clock::time_point sent_at() const { return sent_at_; }
    void mark_sent(clock::time_point at) { sent_at_ = at; }
    /// The execution context the caller resumes on: a connection on the same one answers
    /// without a hand-off between threads.
    const boost::asio::execution_context* caller_context() const;
    /// Entries and references of a search arrive before its result.
    response& partial() { return partial_; }
    /// The search's entries are decoded with their values counted, not copied.
    void count_values() { count_values_ = true; }
    bool counts_values() const { return count_values_; }
    /// A search a read-only replica may answer (search_request::from_replica).
    void allow_replica() { replica_ok_ = true; }
    bool replica_ok() const { return replica_ok_; }

private:
    request_sender sender_;
    std::vector<control> controls_;
    clock::time_point deadline_;
    response_handler handler_;
    std::atomic<bool> completed_{false};
    boost::asio::any_io_executor resume_on_;
    response partial_;
    clock::time_point sent_at_{};
    bool count_values_ = false;
    bool replica_ok_ = false;
};

using operation_ptr = std::shared_ptr<operation>;

/// Senders for every request type; each keeps its own copy of the arguments.
namespace requests {
request_sender simple_bind(std::string name, std::string password);
request_sender sasl_external_bind();
request_sender search(const search_request& request);
request_sender add(dn name, std::vector<attribute> attributes);
request_sender modify(dn name, std::vector<modification> changes);
request_sender rename(dn name, std::string new_rdn, std::optional<dn> new_superior,
                      bool delete_old_rdn);
request_sender remove(dn name);
request_sender extended(std::string oid, std::optional<std::string> value);
}  // namespace requests

}  // namespace scimldap::ldap::detail
