// One keep-alive HTTP/1.1 connection of the mixed-load generator: one request at a time, every
// outcome (an answer, or why there was none) returned as a value so the journal records it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <string>

namespace scimldap::faults {

/// What one request got: an HTTP answer (status > 0) or none (status 0, error says why).
struct http_outcome {
    unsigned status = 0;
    std::string body;
    std::string etag;
    std::string retry_after;
    std::string error;              // empty when an answer came
    bool connection_error = false;  // connect refused/reset/closed, not a client-side timeout
    bool timed_out = false;         // no answer within the client's own limit (a hang)
    double sent_at = 0;             // seconds since the epoch
    double answered_at = 0;         // when the answer (or the failure) came
};

/// Seconds since the epoch, with sub-millisecond precision (the journal's clock).
double epoch_seconds();

/// A keep-alive connection to host:port that reconnects on the next request after a failure.
class http_connection {
public:
    http_connection(boost::asio::any_io_executor executor, boost::asio::ip::tcp::endpoint server,
                    std::string token, std::chrono::milliseconds timeout);

    boost::asio::awaitable<http_outcome> exchange(boost::beast::http::verb method,
                                                  const std::string& target,
                                                  const std::string& body = {});
    void close();

private:
    boost::beast::tcp_stream stream_;
    boost::asio::ip::tcp::endpoint server_;
    std::string host_;
    std::string token_;
    std::chrono::milliseconds timeout_;
    boost::beast::flat_buffer buffer_;
    bool open_ = false;
};

}  // namespace scimldap::faults
