// mixed_load: N keep-alive clients doing a mix of SCIM user and group writes and reads against
// the bridge for a while, writing every request and answer to a journal (JSON lines) that
// check_directory.py compares with the directory afterwards. Prints a one-line JSON summary.
#include "tests/faults/http_connection.hpp"
#include "tests/faults/journal.hpp"
#include "tests/faults/mixed_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace scimldap::faults;

constexpr const char* usage =
    "usage: mixed_load --port P --token-file F --journal F [options]\n"
    "  --host IP             IPv4 address of the bridge (default 127.0.0.1)\n"
    "  --clients N           keep-alive clients (default 8)\n"
    "  --duration S          seconds of load; clients then finish the request in hand (10)\n"
    "  --prefix P            userNames and group names start with P (default load)\n"
    "  --user-types A,B      userType values to use (default staff,contractor; '' for none)\n"
    "  --no-passwords        create users without a password\n"
    "  --max-attempts N      attempts per write while it gets 5xx or no answer (default 10)\n"
    "  --timeout-ms MS       the client's own limit per request: beyond it, a hang (60000)\n"
    "  --readyz-every-ms MS  also GET /readyz this often on its own connection (0: never)\n"
    "  --seed N              random seed (default 1)\n";

struct options {
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    std::string token;
    std::string journal_file;
    unsigned clients = 8;
    double duration_s = 10;
    std::string prefix = "load";
    std::vector<std::string> user_types{"staff", "contractor"};
    bool passwords = true;
    unsigned max_attempts = 10;
    unsigned timeout_ms = 60000;
    unsigned readyz_every_ms = 0;
    std::uint64_t seed = 1;
};

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) {
            out.push_back(item);
        }
    }
    return out;
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(arg + " needs a value");
            }
            return argv[++i];
        };
        if (arg == "--host") {
            o.host = value();
        } else if (arg == "--port") {
            o.port = static_cast<unsigned short>(std::stoul(value()));
        } else if (arg == "--token-file") {
            std::ifstream in(value());
            if (!std::getline(in, o.token)) {
                throw std::invalid_argument("cannot read the token file");
            }
        } else if (arg == "--journal") {
            o.journal_file = value();
        } else if (arg == "--clients") {
            o.clients = static_cast<unsigned>(std::stoul(value()));
        } else if (arg == "--duration") {
            o.duration_s = std::stod(value());
        } else if (arg == "--prefix") {
            o.prefix = value();
        } else if (arg == "--user-types") {
            o.user_types = split(value());
        } else if (arg == "--no-passwords") {
            o.passwords = false;
        } else if (arg == "--max-attempts") {
            o.max_attempts = static_cast<unsigned>(std::stoul(value()));
        } else if (arg == "--timeout-ms") {
            o.timeout_ms = static_cast<unsigned>(std::stoul(value()));
        } else if (arg == "--readyz-every-ms") {
            o.readyz_every_ms = static_cast<unsigned>(std::stoul(value()));
        } else if (arg == "--seed") {
            o.seed = std::stoull(value());
        } else {
            throw std::invalid_argument("unknown argument " + arg);
        }
    }
    if (o.port == 0 || o.journal_file.empty() || o.clients == 0 || o.max_attempts == 0) {
        throw std::invalid_argument("--port and --journal are required; --clients > 0");
    }
    return o;
}

// Polls /readyz until the last client is done; every answer goes into the journal.
asio::awaitable<void> probe_readyz(http_connection connection, journal& record,
                                   std::chrono::milliseconds every, const unsigned& running) {
    journal_request r;
    r.op = "readyz";
    r.kind = "probe";
    r.method = "GET";
    r.target = "/readyz";
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (running > 0) {
        record.write(r, co_await connection.exchange(boost::beast::http::verb::get, r.target));
        timer.expires_after(every);
        co_await timer.async_wait(asio::use_awaitable);
    }
}

json::object summary(const run_context& run, double seconds) {
    json::object statuses;
    std::uint64_t server_errors = 0;
    for (const auto& [status, count] : run.statuses) {
        statuses[status == 0 ? "no_answer" : std::to_string(status)] = count;
        server_errors += status >= 500 ? count : 0;
    }
    return json::object{{"requests", run.requests},
                        {"seconds", seconds},
                        {"statuses", std::move(statuses)},
                        {"server_errors", server_errors},
                        {"connection_errors", run.connection_errors},
                        {"client_timeouts", run.timeouts},
                        {"status_503_without_retry_after", run.missing_retry_after},
                        {"max_latency_s", run.max_latency_s}};
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    try {
        o = parse(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "mixed_load: " << e.what() << "\n" << usage;
        return 2;
    }
    try {
        asio::io_context io;
        journal record(o.journal_file);
        const asio::ip::tcp::endpoint server(asio::ip::make_address_v4(o.host), o.port);
        const std::chrono::milliseconds timeout(o.timeout_ms);
        run_context run;
        run.prefix = o.prefix;
        run.user_types = o.user_types;
        run.passwords = o.passwords;
        run.max_attempts = o.max_attempts;
        run.record = &record;
        const auto started = std::chrono::steady_clock::now();
        run.stop_at = started + std::chrono::milliseconds(static_cast<long>(o.duration_s * 1000));
        std::vector<std::unique_ptr<mixed_client>> clients;
        unsigned running = o.clients;
        for (unsigned i = 0; i < o.clients; ++i) {
            clients.push_back(std::make_unique<mixed_client>(
                run, http_connection(io.get_executor(), server, o.token, timeout), i,
                o.seed * 1000003 + i));
            asio::co_spawn(io, clients.back()->run(), [&running](std::exception_ptr e) {
                --running;
                if (e) {
                    std::rethrow_exception(e);
                }
            });
        }
        if (o.readyz_every_ms > 0) {
            asio::co_spawn(
                io,
                probe_readyz(
                    http_connection(io.get_executor(), server, {}, std::chrono::milliseconds(5000)),
                    record, std::chrono::milliseconds(o.readyz_every_ms), running),
                asio::detached);
        }
        io.run();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::cout << json::serialize(summary(run, seconds)) << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "mixed_load: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
