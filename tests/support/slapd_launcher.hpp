// A throwaway slapd for tests and the demo: config in a temp dir, free loopback port, seeded.
#pragma once

#include "tests/support/slapd_config.hpp"

#include <sys/types.h>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace scimldap::testing {

/// The server side of TLS: slapd then also serves ldaps:// on a second port, and StartTLS.
struct slapd_tls {
    std::string cert_file;
    std::string key_file;
    std::string ca_file;
    /// Ask clients for a certificate (TLSVerifyClient try) and map the subject cn=NAME to
    /// cn=NAME,ou=Services,SUFFIX for SASL EXTERNAL binds.
    bool client_certificates = false;
};

struct slapd_options {
    bool seed_sample = false;      // also load ldif/sample.ldif
    bool with_sssvlv = true;       // server-side sort / VLV overlay
    bool with_refint = false;      // refint on member and manager (the bridge does not need it)
    std::string keep_dir;          // non-empty: use this dir and keep it (demo); else a temp dir
    std::uint16_t port = 0;        // 0: pick a free 127.0.0.1 port
    std::uint16_t first_port = 0;  // with port 0: try this one first (tests of a taken port)
    // Tenant entry DNs besides the seeded two (e.g. ou=conformance,dc=example,dc=org): the
    // service account gets the same rights below them. The caller creates the entries.
    std::vector<std::string> extra_tenants;
    std::optional<slapd_tls> tls;  // set: StartTLS on uri(), TLS from the first byte on ldaps_uri()
    /// set: a provider or consumer in syncrepl replication (give `port`: the others name it).
    std::optional<slapd_replication> replication;
    /// false: start with an empty database (a replica then pulls the DIT from its providers).
    bool seed = true;
};

/// Owns one slapd child process. The constructor creates the dir and writes the config; start()
/// seeds it (first time), starts slapd, waits until it answers (and loads the sample the first
/// time); stop() stops it (data kept, so start() again restarts the same directory on the same
/// port). The destructor stops it and removes the dir. slapd gets SIGTERM if the thread that
/// called start() exits (PR_SET_PDEATHSIG), so start it from a thread that outlives it.
class slapd_launcher {
public:
    explicit slapd_launcher(slapd_options options = {});
    ~slapd_launcher();
    slapd_launcher(const slapd_launcher&) = delete;
    slapd_launcher& operator=(const slapd_launcher&) = delete;

    void start();
    void stop();
    /// Ends slapd with SIGKILL, as a crash would: nothing is closed or flushed by slapd itself.
    /// start() then restarts it on the same data directory and port.
    void kill();
    bool running() const { return pid_ > 0; }
    /// slapd's process id while running (-1 otherwise): tests freeze it with SIGSTOP/SIGCONT.
    pid_t pid() const { return pid_; }

    std::string uri() const;  // ldap://127.0.0.1:PORT
    /// ldaps://127.0.0.1:PORT (only with options.tls); host "localhost" on request.
    std::string ldaps_uri(const std::string& host = "127.0.0.1") const;
    std::uint16_t port() const { return port_; }
    std::uint16_t ldaps_port() const { return ldaps_port_; }
    const std::string& dir() const { return dir_; }

    static constexpr const char* suffix = "dc=example,dc=org";
    static constexpr const char* admin_dn = "cn=admin,dc=example,dc=org";  // rootdn
    static constexpr const char* admin_password = "admin-secret";
    static constexpr const char* service_dn = "cn=scim-bridge,ou=Services,dc=example,dc=org";
    static constexpr const char* service_password = "bridge-secret";
    /// A file holding service_password (for the bridge's ldap.password_file).
    std::string service_password_file() const;
    /// slapd's own output (the tail is in every start failure's message).
    std::string log_file() const { return dir_ + "/slapd.log"; }
    /// How long the last start() took from exec to the first answered search.
    std::chrono::milliseconds last_start_duration() const { return last_start_duration_; }

private:
    void write_config();
    void seed();
    void load_sample();
    bool launch();  // one attempt on port_: false when slapd exited before it answered
    /// Sends signal, waits for the exit (SIGKILL after stop_timeout) and reaps slapd.
    void end_with(int signal);
    std::string config_file() const { return dir_ + "/slapd.conf"; }
    slapd_options options_;
    std::string dir_;
    std::uint16_t port_ = 0;
    std::uint16_t ldaps_port_ = 0;
    pid_t pid_ = -1;
    bool seeded_ = false;
    bool owns_dir_ = true;
    bool started_once_ = false;
    std::chrono::milliseconds last_start_duration_{0};
};

}  // namespace scimldap::testing
