// http_load: the bridge side of the benchmark. C keep-alive HTTP/1.1 connections over plain
// sockets, each with exactly one GET in flight, driven by one poll() loop like ldap_load, so
// both sides are measured the same way.
#include "tests/bench/load_report.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace scimldap::bench;

constexpr const char* usage =
    "usage: http_load --port P --path TEMPLATE [options]\n"
    "  --host IP          IPv4 address (default 127.0.0.1)\n"
    "  --port P           TCP port\n"
    "  --path TEMPLATE    request target; {K} is a random user number, {ID} a random line of\n"
    "                     --ids-file\n"
    "  --ids-file F       ids for {ID}, one a line\n"
    "  --token-file F     send 'Authorization: Bearer <first line of F>'\n"
    "  --expect-status N  any other status counts as an error (default 200)\n";

struct http_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string path;
    std::vector<std::string> ids;
    std::string token;
    int expect_status = 200;
    load_options load;
};

std::string first_line(const std::string& file) {
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line)) {
        throw std::invalid_argument("cannot read " + file);
    }
    return line;
}

http_options parse(int argc, char** argv) {
    http_options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const value_reader value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(arg + " needs a value");
            }
            return argv[++i];
        };
        if (parse_load_option(arg, value, options.load)) {
            continue;
        }
        if (arg == "--host") {
            options.host = value();
        } else if (arg == "--port") {
            options.port = static_cast<std::uint16_t>(std::stoul(value()));
        } else if (arg == "--path") {
            options.path = value();
        } else if (arg == "--ids-file") {
            std::ifstream in(value());
            for (std::string line; std::getline(in, line);) {
                if (!line.empty()) {
                    options.ids.push_back(line);
                }
            }
        } else if (arg == "--token-file") {
            options.token = first_line(value());
        } else if (arg == "--expect-status") {
            options.expect_status = std::stoi(value());
        } else {
            throw std::invalid_argument("unknown argument " + arg);
        }
    }
    if (options.port == 0 || options.path.empty()) {
        throw std::invalid_argument("--port and --path are required");
    }
    if (options.path.find("{ID}") != std::string::npos && options.ids.empty()) {
        throw std::invalid_argument("--path uses {ID} but --ids-file gave no ids");
    }
    return options;
}

// How far a response in a buffer has arrived.
struct response_state {
    bool complete = false;
    int status = 0;
    bool close = false;
    std::size_t length = 0;  // bytes of buffer the whole response takes
};

bool iequals_prefix(std::string_view line, std::string_view name) {
    if (line.size() < name.size()) {
        return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) {
            return false;
        }
    }
    return true;
}

std::string_view header_value(std::string_view line, std::size_t name_length) {
    line.remove_prefix(name_length);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
        line.remove_prefix(1);
    }
    return line;
}

// End of a chunked body starting at `from`, if all of it is in buffer.
std::optional<std::size_t> chunked_end(std::string_view buffer, std::size_t from) {
    while (true) {
        const auto line_end = buffer.find("\r\n", from);
        if (line_end == std::string_view::npos) {
            return std::nullopt;
        }
        std::size_t size = 0;
        std::from_chars(buffer.data() + from, buffer.data() + line_end, size, 16);
        from = line_end + 2;
        if (size == 0) {  // last chunk, then (no trailers expected) an empty line
            const auto end = buffer.find("\r\n", from);
            return end == std::string_view::npos ? std::nullopt : std::optional(end + 2);
        }
        if (buffer.size() < from + size + 2) {
            return std::nullopt;
        }
        from += size + 2;
    }
}

response_state parse_response(std::string_view buffer) {
    response_state state;
    const auto head_end = buffer.find("\r\n\r\n");
    if (head_end == std::string_view::npos) {
        return state;
    }
    const std::string_view head = buffer.substr(0, head_end + 2);
    if (head.size() < 12 || !head.starts_with("HTTP/1.")) {
        throw std::runtime_error("not an HTTP/1.x response");
    }
    std::from_chars(head.data() + 9, head.data() + 12, state.status);
    state.close = head.starts_with("HTTP/1.0");
    std::optional<std::size_t> content_length;
    bool chunked = false;
    for (auto from = head.find("\r\n") + 2; from < head.size();) {
        const auto end = head.find("\r\n", from);
        const std::string_view line = head.substr(from, end - from);
        if (iequals_prefix(line, "content-length:")) {
            const auto value = header_value(line, 15);
            std::size_t length = 0;
            std::from_chars(value.data(), value.data() + value.size(), length);
            content_length = length;
        } else if (iequals_prefix(line, "transfer-encoding:")) {
            chunked = header_value(line, 18).find("chunked") != std::string_view::npos;
        } else if (iequals_prefix(line, "connection:")) {
            const auto value = header_value(line, 11);
            state.close = iequals_prefix(value, "close");
        }
        from = end + 2;
    }
    const std::size_t body_start = head_end + 4;
    if (chunked) {
        const auto end = chunked_end(buffer, body_start);
        if (end) {
            state.complete = true;
            state.length = *end;
        }
    } else {
        const std::size_t length = body_start + content_length.value_or(0);
        if (buffer.size() >= length) {
            state.complete = true;
            state.length = length;
        }
    }
    return state;
}

// One keep-alive connection with at most one request in flight.
struct connection {
    int fd = -1;
    std::string out;
    std::size_t written = 0;
    std::string in;
    bench_clock::time_point sent;
};

class http_driver {
public:
    explicit http_driver(const http_options& options) : options_(options), run_(options.load) {
        if (inet_pton(AF_INET, options_.host.c_str(), &address_.sin_addr) != 1) {
            throw std::invalid_argument("--host must be an IPv4 address: " + options_.host);
        }
        address_.sin_family = AF_INET;
        address_.sin_port = htons(options_.port);
        head_tail_ = " HTTP/1.1\r\nHost: " + options_.host + ":" + std::to_string(options_.port) +
                     "\r\nAccept: application/scim+json\r\n";
        if (!options_.token.empty()) {
            head_tail_ += "Authorization: Bearer " + options_.token + "\r\n";
        }
        head_tail_ += "\r\n";
    }

    ~http_driver() {
        for (const auto& c : connections_) {
            if (c.fd >= 0) {
                close(c.fd);
            }
        }
    }
    http_driver(const http_driver&) = delete;
    http_driver& operator=(const http_driver&) = delete;

    void run() {
        connections_.resize(options_.load.concurrency);
        for (auto& c : connections_) {
            open(c);
        }
        run_.begin();
        for (auto& c : connections_) {
            send(c);
        }
        std::vector<pollfd> fds(connections_.size());
        while (!run_.finished()) {
            for (std::size_t i = 0; i < connections_.size(); ++i) {
                const auto& c = connections_[i];
                fds[i] = {c.fd, static_cast<short>(c.written < c.out.size() ? POLLOUT : POLLIN), 0};
            }
            const int ready = poll(fds.data(), fds.size(), 100);
            if (ready < 0 && errno != EINTR) {
                throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
            }
            for (std::size_t i = 0; i < fds.size() && !run_.finished(); ++i) {
                if (fds[i].revents != 0) {
                    on_ready(connections_[i]);
                }
            }
            run_.tick(bench_clock::now());
        }
        std::cout << run_.report("http_load") << std::endl;
    }

private:
    void open(connection& c) {
        if (c.fd >= 0) {
            close(c.fd);
        }
        c.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c.fd < 0 ||
            connect(c.fd, reinterpret_cast<const sockaddr*>(&address_), sizeof address_) < 0) {
            throw std::runtime_error("connect to " + options_.host + ":" +
                                     std::to_string(options_.port) + ": " + std::strerror(errno));
        }
        const int one = 1;
        setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c.in.clear();
        c.out.clear();
        c.written = 0;
    }

    std::string target() {
        std::string path = substitute_user(options_.path, run_.random_user());
        const auto id_at = path.find("{ID}");
        if (id_at != std::string::npos) {
            std::uniform_int_distribution<std::size_t> pick(0, options_.ids.size() - 1);
            path.replace(id_at, 4, options_.ids[pick(run_.random())]);
        }
        return path;
    }

    void send(connection& c) {
        c.out = "GET " + target() + head_tail_;
        c.written = 0;
        c.sent = bench_clock::now();
        write_some(c);
    }

    void write_some(connection& c) {
        while (c.written < c.out.size()) {
            const auto n = ::send(c.fd, c.out.data() + c.written, c.out.size() - c.written,
                                  MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                    return;  // poll waits for POLLOUT
                }
                fail(c, std::string("send: ") + std::strerror(errno));
                return;
            }
            c.written += static_cast<std::size_t>(n);
        }
    }

    void on_ready(connection& c) {
        if (c.written < c.out.size()) {
            write_some(c);
            return;
        }
        char chunk[65536];
        const auto n = recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (n == 0) {
            fail(c, "the server closed the connection mid-request");
            return;
        }
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                fail(c, std::string("recv: ") + std::strerror(errno));
            }
            return;
        }
        c.in.append(chunk, static_cast<std::size_t>(n));
        const response_state response = parse_response(c.in);
        if (!response.complete) {
            return;
        }
        const auto now = bench_clock::now();
        if (response.status == options_.expect_status) {
            run_.record(c.sent, now);
        } else {
            run_.error("HTTP status " + std::to_string(response.status) + ": " +
                       c.in.substr(0, std::min<std::size_t>(c.in.size(), 300)));
        }
        c.in.erase(0, response.length);
        if (response.close) {
            open(c);
        }
        if (!run_.finished()) {
            send(c);
        }
    }

    void fail(connection& c, const std::string& what) {
        run_.error(what);
        if (!run_.finished()) {
            open(c);
            send(c);
        }
    }

    const http_options& options_;
    load_run run_;
    sockaddr_in address_{};
    std::string head_tail_;
    std::vector<connection> connections_;
};

}  // namespace

int main(int argc, char** argv) {
    http_options options;
    try {
        options = parse(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "http_load: " << e.what() << "\n" << usage << load_options_usage;
        return 2;
    }
    try {
        http_driver(options).run();
    } catch (const std::exception& e) {
        std::cerr << "http_load: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
