#include "tests/faults/http_connection.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace scimldap::faults {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

double epoch_seconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

http_connection::http_connection(asio::any_io_executor executor, asio::ip::tcp::endpoint server,
                                 std::string token, std::chrono::milliseconds timeout)
    : stream_(std::move(executor)),
      server_(std::move(server)),
      host_(server_.address().to_string() + ":" + std::to_string(server_.port())),
      token_(std::move(token)),
      timeout_(timeout) {}

void http_connection::close() {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
    buffer_.clear();
    open_ = false;
}

asio::awaitable<http_outcome> http_connection::exchange(http::verb method,
                                                        const std::string& target,
                                                        const std::string& body) {
    http_outcome outcome;
    outcome.sent_at = epoch_seconds();
    beast::error_code ec;
    const auto fail = [&](const char* step) {
        outcome.answered_at = epoch_seconds();
        outcome.timed_out = ec == beast::error::timeout;
        outcome.connection_error = !outcome.timed_out;
        outcome.error = std::string(step) + ": " + ec.message();
        close();
    };
    if (!open_) {
        stream_.expires_after(timeout_);
        co_await stream_.async_connect(server_, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            fail("connect");
            co_return outcome;
        }
        stream_.socket().set_option(asio::ip::tcp::no_delay(true), ec);
        open_ = true;
    }
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, host_);
    request.set(http::field::accept, "application/scim+json");
    if (!token_.empty()) {
        request.set(http::field::authorization, "Bearer " + token_);
    }
    if (!body.empty()) {
        request.set(http::field::content_type, "application/scim+json");
        request.body() = body;
    }
    request.keep_alive(true);
    request.prepare_payload();
    // One limit for the whole exchange: the bridge must answer within its own deadline, far
    // below this, so hitting it means a hang.
    stream_.expires_after(timeout_);
    co_await http::async_write(stream_, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        fail("write");
        co_return outcome;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    co_await http::async_read(stream_, buffer_, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        fail("read");
        co_return outcome;
    }
    outcome.answered_at = epoch_seconds();
    auto& response = parser.get();
    outcome.status = response.result_int();
    outcome.body = std::move(response.body());
    outcome.etag = std::string(response[http::field::etag]);
    outcome.retry_after = std::string(response[http::field::retry_after]);
    if (!response.keep_alive()) {
        close();
    }
    co_return outcome;
}

}  // namespace scimldap::faults
