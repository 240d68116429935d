#include "tests/support/raw_client.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace scimldap::testing {

raw_client::raw_client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) {
        const int error = errno;
        close();
        throw std::system_error(error, std::generic_category(), "connect");
    }
    const timeval limit{patience.count() / 1000, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
}

raw_client::~raw_client() {
    close();
}

void raw_client::send(std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL);
        if (n <= 0) {
            throw std::system_error(n < 0 ? errno : EPIPE, std::generic_category(), "send");
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

raw_client::received raw_client::read_until_closed() {
    received r{{}, end::still_open};
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            return r;
        }
        char chunk[4096];
        const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n == 0) {
            r.how = end::closed;
            return r;
        }
        if (n < 0) {
            r.how = errno == ECONNRESET ? end::reset : end::still_open;
            return r;
        }
        r.bytes.append(chunk, static_cast<std::size_t>(n));
    }
}

std::string raw_client::read_some(std::size_t n) {
    std::string out;
    while (out.size() < n) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(patience.count())) <= 0) {
            break;
        }
        char chunk[4096];
        const ssize_t got = ::recv(fd_, chunk, std::min(sizeof chunk, n - out.size()), 0);
        if (got <= 0) {
            break;
        }
        out.append(chunk, static_cast<std::size_t>(got));
    }
    return out;
}

std::string raw_client::read_response() {
    std::string out;
    std::size_t header_end = std::string::npos;
    while ((header_end = out.find("\r\n\r\n")) == std::string::npos) {
        const std::string more = read_some(1);
        if (more.empty()) {
            return out;
        }
        out += more;
    }
    const std::string name = "Content-Length: ";
    const std::size_t at = out.find(name);
    const std::size_t length =
        at == std::string::npos ? 0 : std::stoul(out.substr(at + name.size()));
    return out + read_some(header_end + 4 + length - out.size());
}

void raw_client::reset() {
    const linger abort{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    close();
}

void raw_client::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

std::string_view response_body(std::string_view response) {
    const std::size_t end = response.find("\r\n\r\n");
    return end == std::string_view::npos ? std::string_view() : response.substr(end + 4);
}

std::string expect_closing_scim_error(const raw_client::received& r, unsigned status) {
    EXPECT_EQ(r.how, raw_client::end::closed) << "the answer must not be cut by a reset";
    EXPECT_TRUE(r.bytes.starts_with("HTTP/1.1 " + std::to_string(status) + " ")) << r.bytes;
    EXPECT_NE(r.bytes.find("Connection: close\r\n"), std::string::npos) << r.bytes;
    EXPECT_NE(r.bytes.find("Content-Type: application/scim+json\r\n"), std::string::npos);
    boost::system::error_code ec;
    const boost::json::value body = boost::json::parse(response_body(r.bytes), ec);
    if (ec || !body.is_object()) {
        ADD_FAILURE() << "not a JSON object: " << r.bytes;
        return {};
    }
    EXPECT_EQ(body.at("schemas").at(0), "urn:ietf:params:scim:api:messages:2.0:Error");
    EXPECT_EQ(body.at("status").as_string(), std::to_string(status));
    const boost::json::value* detail = body.as_object().if_contains("detail");
    return detail != nullptr && detail->is_string() ? std::string(detail->as_string()) : "";
}

dribbler::dribbler(raw_client& client, std::string text, std::chrono::milliseconds pace)
    : worker_([&client, text = std::move(text), pace, this] {
          for (const char c : text) {
              if (stop_.load()) {
                  return;
              }
              try {
                  client.send(std::string_view(&c, 1));
              } catch (const std::system_error&) {
                  return;  // the server closed: nothing more to send
              }
              std::this_thread::sleep_for(pace);
          }
      }) {}

dribbler::~dribbler() {
    stop_ = true;
    worker_.join();
}

}  // namespace scimldap::testing
