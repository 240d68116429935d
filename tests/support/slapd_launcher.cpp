#include "tests/support/slapd_launcher.hpp"

#include "tests/support/child_process.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/ldap_handle.hpp"
#include "tests/support/process_sockets.hpp"
#include "tests/support/slapd_config.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace scimldap::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto ready_timeout = 10s;
constexpr auto stop_timeout = 10s;
constexpr int port_attempts = 5;

std::string ldif_dir() {
    const char* overridden = std::getenv("SCIMLDAP_LDIF_DIR");
    if (overridden != nullptr && *overridden != '\0') {
        return overridden;
    }
    std::string dir = SCIMLDAP_SOURCE_DIR;  // appended, not operator+: GCC 12 -Warray-bounds
    return dir.append("/ldif");
}

std::string tail(const std::string& text, std::size_t max = 2000) {
    return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

// One probe: does slapd accept a rootdn bind and a root DSE read?
bool answers(const std::string& uri) {
    int rc = LDAP_SUCCESS;
    const ldap_ptr ld =
        ldap_connect(uri, slapd_launcher::admin_dn, slapd_launcher::admin_password, rc);
    if (!ld || rc != LDAP_SUCCESS) {
        return false;
    }
    LDAPMessage* raw = nullptr;
    char no_attrs[] = LDAP_NO_ATTRS;
    char* attrs[] = {no_attrs, nullptr};
    rc = ldap_search_ext_s(ld.get(), "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, nullptr,
                           nullptr, nullptr, 0, &raw);
    const ldap_message_ptr result(raw);
    return rc == LDAP_SUCCESS;
}

}  // namespace

slapd_launcher::slapd_launcher(slapd_options options) : options_(std::move(options)) {
    if (options_.keep_dir.empty()) {
        std::string templ = temp_root() + "/scimldap-slapd-XXXXXX";
        if (mkdtemp(templ.data()) == nullptr) {
            throw std::system_error(errno, std::generic_category(), "mkdtemp " + templ);
        }
        dir_ = templ;
    } else {
        dir_ = fs::absolute(options_.keep_dir).string();
        owns_dir_ = false;
        fs::create_directories(dir_);
        // A kept dir that already holds a database is reused as it is (demo restarts).
        seeded_ = fs::exists(dir_ + "/db/data.mdb");
    }
    port_ = options_.port != 0 ? options_.port : options_.first_port;
    write_config();
}

slapd_launcher::~slapd_launcher() {
    try {
        stop();
    } catch (...) {  // a destructor must not throw; slapd got SIGKILL at worst
    }
    if (owns_dir_) {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
}

void slapd_launcher::write_config() {
    fs::create_directories(dir_ + "/db");
    fs::create_directories(dir_ + "/accesslog");
    slapd_config_params params;
    params.dir = dir_;
    params.ldif_dir = ldif_dir();
    params.with_sssvlv = options_.with_sssvlv;
    params.with_refint = options_.with_refint;
    params.extra_tenants = options_.extra_tenants;
    params.replication = options_.replication;
    if (options_.tls) {
        params.tls_cert_file = options_.tls->cert_file;
        params.tls_key_file = options_.tls->key_file;
        params.tls_ca_file = options_.tls->ca_file;
        params.tls_client_certificates = options_.tls->client_certificates;
    }
    std::ofstream(config_file()) << slapd_config(params);
    std::ofstream password(service_password_file());
    password << service_password;
    fs::permissions(service_password_file(), fs::perms::owner_read | fs::perms::owner_write);
}

std::string slapd_launcher::service_password_file() const {
    return dir_ + "/service.password";
}

std::string slapd_launcher::uri() const {
    return "ldap://127.0.0.1:" + std::to_string(port_);
}

std::string slapd_launcher::ldaps_uri(const std::string& host) const {
    return "ldaps://" + host + ":" + std::to_string(ldaps_port_);
}

// Offline and fast; no overlay runs, which seed.ldif is written for.
void slapd_launcher::seed() {
    const std::string log = dir_ + "/slapadd.log";
    const int status = run({"/usr/sbin/slapadd", "-q", "-f", config_file(), "-b", suffix, "-l",
                            ldif_dir() + "/seed.ldif"},
                           log);
    if (status != 0) {
        throw std::runtime_error("slapadd of seed.ldif failed (" + std::to_string(status) +
                                 "): " + tail(read_file(log)));
    }
    seeded_ = true;
}

// Online, so memberof fills memberOf and ppolicy hashes the cleartext passwords.
void slapd_launcher::load_sample() {
    ldap_admin(*this).apply_ldif(read_file(ldif_dir() + "/sample.ldif"));
}

void slapd_launcher::start() {
    if (running()) {
        return;
    }
    const bool first_start = !seeded_;
    if (first_start && options_.seed) {
        seed();
    }
    seeded_ = true;
    // A restart keeps its port (clients hold the URI); before that, a port lost to a race with
    // another process is simply replaced.
    const bool may_change_port = options_.port == 0 && !started_once_;
    for (int attempt = 0; attempt < port_attempts; ++attempt) {
        if (port_ == 0 || (attempt > 0 && may_change_port)) {
            port_ = pick_free_port();
        }
        if (options_.tls && (ldaps_port_ == 0 || (attempt > 0 && may_change_port))) {
            ldaps_port_ = pick_free_port();
        }
        if (launch()) {
            started_once_ = true;
            if (first_start && options_.seed_sample) {
                load_sample();
            }
            return;
        }
    }
    throw std::runtime_error("slapd did not start on 127.0.0.1:" + std::to_string(port_) +
                             "; log " + log_file() + ":\n" + tail(read_file(log_file())));
}

bool slapd_launcher::launch() {
    const auto started = std::chrono::steady_clock::now();
    // -d 0: stay in the foreground, so pid_ is slapd itself and its errors reach the log.
    const std::string urls = options_.tls ? uri() + "/ " + ldaps_uri() + "/" : uri() + "/";
    pid_ = spawn({"/usr/sbin/slapd", "-d", "0", "-f", config_file(), "-h", urls}, log_file());
    auto backoff = 1ms;
    while (std::chrono::steady_clock::now() - started < ready_timeout) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {  // e.g. the port was taken meanwhile
            pid_ = -1;
            return false;
        }
        // Ready means our own child answers: a stray slapd (another run's) that holds the port
        // answers too, while our child is about to exit with "address in use".
        if (process_listens_on(pid_, port_) && answers(uri())) {
            last_start_duration_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started);
            return true;
        }
        std::this_thread::sleep_for(backoff);  // readiness polling, not a fixed wait
        backoff = std::min(backoff * 2, 50ms);
    }
    stop();
    throw std::runtime_error("slapd did not answer on " + uri() + " within 10 s; log " +
                             log_file() + ":\n" + tail(read_file(log_file())));
}

void slapd_launcher::kill() {
    end_with(SIGKILL);
}

void slapd_launcher::stop() {
    end_with(SIGTERM);
}

void slapd_launcher::end_with(int signal) {
    if (pid_ <= 0) {
        return;
    }
    const pid_t pid = pid_;
    pid_ = -1;
    ::kill(pid, signal);
    if (!wait_for_exit(pid, stop_timeout) && signal != SIGKILL) {
        ::kill(pid, SIGKILL);
        wait_for_exit(pid, stop_timeout);
    }
}

}  // namespace scimldap::testing
