#include "tests/support/bridge_fixture.hpp"

#include "bridge/auth/token_hash.hpp"
#include "bridge/cli/signing_key_files.hpp"
#include "mapping/config_loader.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace scimldap::testing {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::seconds socket_timeout{30};
constexpr std::chrono::milliseconds poll_interval{20};

std::string lower(std::string s) {
    for (char& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

void set_socket_timeouts(tcp::socket& socket) {
    timeval tv{};
    tv.tv_sec = socket_timeout.count();
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

std::string http_reply::header(const std::string& name) const {
    const auto it = headers.find(lower(name));
    return it == headers.end() ? std::string{} : it->second;
}

boost::json::value http_reply::json() const {
    return boost::json::parse(body);
}

namespace {

template <class Stream>
http_reply round_trip(Stream& stream, bhttp::verb method, const std::string& target,
                      const std::map<std::string, std::string>& headers, const std::string& body) {
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) {
        req.set(name, value);
    }
    req.body() = body;
    req.prepare_payload();
    bhttp::write(stream, req);

    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    http_reply reply;
    reply.status = res.result_int();
    for (const auto& field : res) {
        reply.headers[lower(std::string(field.name_string()))] = std::string(field.value());
    }
    reply.body = res.body();
    return reply;
}

}  // namespace

http_reply http_request(std::uint16_t port, bhttp::verb method, const std::string& target,
                        const std::map<std::string, std::string>& headers,
                        const std::string& body) {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    set_socket_timeouts(socket);
    return round_trip(socket, method, target, headers, body);
}

http_reply https_request(std::uint16_t port, bhttp::verb method, const std::string& target,
                         const std::map<std::string, std::string>& headers,
                         const std::string& body) {
    asio::io_context io;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);
    asio::ssl::stream<tcp::socket> stream(io, tls);
    stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    set_socket_timeouts(stream.next_layer());
    stream.handshake(asio::ssl::stream_base::client);
    return round_trip(stream, method, target, headers, body);
}

tls_files make_self_signed_certificate(const std::string& dir) {
    tls_files files{dir + "/tls-cert.pem", dir + "/tls-key.pem"};
    const std::string log = dir + "/openssl.log";
    const int status = run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                            "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                            files.key_file, "-out", files.cert_file},
                           log);
    if (status != 0) {
        throw std::runtime_error("openssl could not make a test certificate: " + read_file(log));
    }
    // The bridge refuses a key others may read.
    std::filesystem::permissions(
        files.key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return files;
}

bool connection_refused(std::uint16_t port) {
    asio::io_context io;
    tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    return ec == asio::error::connection_refused;
}

bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) {
            return true;
        }
        std::this_thread::sleep_for(poll_interval);
    }
    return pred();
}

std::string write_profile_copy(const std::string& dir, const std::string& name,
                               const std::function<void(boost::json::value& profile)>& edit) {
    for (const auto& d : mapping::default_profile_dirs()) {
        const auto shipped = std::filesystem::path(d) / "openldap-inetorgperson.json";
        if (!std::filesystem::exists(shipped)) {
            continue;
        }
        std::ifstream in(shipped);
        std::stringstream text;
        text << in.rdbuf();
        boost::json::value profile = boost::json::parse(text.str());
        profile.at("name") = name;
        edit(profile);
        const std::string file = dir + "/" + name + ".json";
        std::ofstream(file) << boost::json::serialize(profile);
        return file;
    }
    throw std::runtime_error("the shipped profile openldap-inetorgperson.json was not found");
}

std::string bridge_config_json(const std::string& ldap_uri, const std::string& password_file,
                               const bridge_options& options) {
    const std::string suffix = slapd_launcher::suffix;
    const std::string classlark = "ou=classlark," + suffix;
    const auto ms = [](std::chrono::milliseconds d) { return std::to_string(d.count()) + "ms"; };
    boost::json::object http{{"max_body_bytes", options.max_body_bytes},
                             {"shutdown_grace", ms(options.shutdown_grace)}};
    if (options.max_connections) {
        http["max_connections"] = *options.max_connections;
    }
    if (options.header_timeout) {
        http["header_timeout"] = ms(*options.header_timeout);
    }
    if (options.idle_timeout) {
        http["idle_timeout"] = ms(*options.idle_timeout);
    }
    if (options.request_timeout) {
        http["request_timeout"] = ms(*options.request_timeout);
    }
    boost::json::object listen{{"host", "127.0.0.1"}, {"port", 8080}};
    if (options.tls) {
        listen["tls"] = {{"cert_file", options.tls->cert_file},
                         {"key_file", options.tls->key_file}};
    }
    boost::json::object default_tenant{
        {"name", "default"},
        {"profile",
         options.default_profile.empty() ? "openldap-inetorgperson" : options.default_profile},
        {"users_base", "ou=People," + suffix},
        {"groups_base", "ou=Groups," + suffix},
        {"roles_base", "ou=Roles," + suffix}};
    if (!options.default_archive_base.empty()) {
        default_tenant["archive_base"] = options.default_archive_base;
    }
    boost::json::object ldap{{"uris", {ldap_uri}},
                             {"bind_dn", slapd_launcher::service_dn},
                             {"password_file", password_file}};
    for (const auto& [key, value] : options.ldap) {
        if (value.is_null()) {
            ldap.erase(key);
        } else {
            ldap[key] = value;
        }
    }
    boost::json::object config{
        {"listen", std::move(listen)},
        {"http", std::move(http)},
        {"ldap", std::move(ldap)},
        {"tenants",
         {std::move(default_tenant),
          {{"name", "classlark"},
           {"profile", "classlark"},
           {"users_base", "ou=People," + classlark},
           {"groups_base", "ou=Groups," + classlark},
           {"roles_base", "ou=Roles," + classlark},
           {"archive_base", "ou=Archive," + classlark}}}},
        {"tokens",
         {{{"name", "default-idp"},
           {"sha256", auth::hash_token(bridge_fixture::default_token)},
           {"tenant", "default"}},
          {{"name", "classlark-idp"},
           {"sha256", auth::hash_token(bridge_fixture::classlark_token)},
           {"tenant", "classlark"}}}},
        {"logging", {{"level", "info"}}},
    };
    if (options.edit_config) {
        options.edit_config(config);
    }
    return boost::json::serialize(config);
}

bridge_fixture::bridge_fixture(const slapd_launcher& slapd, bridge_options options)
    : tls_(options.tls.has_value()), config_file_(slapd.dir() + "/bridge-config.json") {
    std::ofstream(config_file_) << bridge_config_json(slapd.uri(), slapd.service_password_file(),
                                                      options);
    auto loaded = mapping::load_config(config_file_, mapping::default_profile_dirs());
    if (!loaded) {
        std::string all;
        for (const auto& e : loaded.error()) {
            all += e.to_string() + "\n";
        }
        throw std::runtime_error("the fixture's config was refused:\n" + all);
    }
    if (const auto errors = cli::read_signing_keys(*loaded, config_file_); !errors.empty()) {
        throw std::runtime_error("the fixture's signing keys were refused: " +
                                 errors.front().to_string());
    }
    loaded->listen.port = 0;  // in-process: let the kernel pick a free port, no race
    if (loaded->metrics && loaded->metrics->listen) {
        loaded->metrics->listen->port = 0;
    }
    service_ = std::make_unique<cli::service>(std::move(*loaded));
}

bridge_fixture::~bridge_fixture() {
    request_shutdown();
    wait_stopped();
}

void bridge_fixture::start(bool wait_until_ready) {
    service_->start();
    if (!wait_until_ready) {
        return;
    }
    const bool ready =
        eventually([this] { return send(bhttp::verb::get, "/readyz", {}, {}).status == 200; });
    if (!ready) {
        throw std::runtime_error("the bridge did not become ready (is slapd up?)");
    }
}

void bridge_fixture::request_shutdown() {
    service_->request_shutdown();
}

void bridge_fixture::wait_stopped() {
    service_->wait();
}

http_reply bridge_fixture::request(bhttp::verb method, const std::string& target,
                                   const std::string& token, const std::string& body,
                                   const std::string& content_type) const {
    std::map<std::string, std::string> headers;
    if (!token.empty()) {
        headers["Authorization"] = "Bearer " + token;
    }
    if (!body.empty()) {
        headers["Content-Type"] = content_type;
    }
    return send(method, target, headers, body);
}

http_reply bridge_fixture::send(bhttp::verb method, const std::string& target,
                                const std::map<std::string, std::string>& headers,
                                const std::string& body) const {
    return tls_ ? https_request(port(), method, target, headers, body)
                : http_request(port(), method, target, headers, body);
}

}  // namespace scimldap::testing
