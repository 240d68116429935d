// A client socket driven byte by byte, for requests cut short, dribbled or pipelined, and
// connections left idle: what a well-behaved HTTP client library never does.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>

namespace scimldap::testing {

/// A blocking TCP connection to 127.0.0.1:port. Every wait is bounded by `patience`, far longer
/// than any timeout under test: only a broken server makes a test wait that long.
class raw_client {
public:
    static constexpr std::chrono::milliseconds patience{10'000};

    enum class end { closed, reset, still_open };
    struct received {
        std::string bytes;
        end how;
    };

    /// Connects; throws std::system_error when the connection fails.
    explicit raw_client(std::uint16_t port);
    ~raw_client();
    raw_client(const raw_client&) = delete;
    raw_client& operator=(const raw_client&) = delete;

    /// Writes all of text, blocking while the server does not read (at most `patience` without
    /// progress); throws std::system_error when the write fails (e.g. the server reset).
    void send(std::string_view text);

    /// Everything the server sends until it closes the connection (or patience runs out).
    received read_until_closed();
    /// Reads at most n bytes of what the server sends (fewer when it closes first).
    std::string read_some(std::size_t n);
    /// One whole response: the header, then as many body bytes as Content-Length says.
    std::string read_response();

    /// Closes with RST instead of FIN (SO_LINGER 0), as a crashed or killed client does.
    void reset();
    void close();

private:
    int fd_;
};

/// The body of a whole response as read_response() returns it (after the blank line).
std::string_view response_body(std::string_view response);

/// Checks (gtest) that r is an RFC 7644 §3.12 error with this status and `Connection: close`,
/// on a connection the server closed with FIN, not reset; returns the error's detail.
std::string expect_closing_scim_error(const raw_client::received& r, unsigned status);

/// Sends text one byte every `pace` from its own thread until it runs out, the server closes,
/// or the dribbler is destroyed: a slowloris client.
class dribbler {
public:
    dribbler(raw_client& client, std::string text, std::chrono::milliseconds pace);
    ~dribbler();
    dribbler(const dribbler&) = delete;
    dribbler& operator=(const dribbler&) = delete;

private:
    std::atomic<bool> stop_{false};
    std::thread worker_;
};

}  // namespace scimldap::testing
