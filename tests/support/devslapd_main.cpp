// scim-ldap-devslapd: runs the test launcher's slapd in the foreground for the demo and by hand.
#include "tests/support/slapd_launcher.hpp"
#include "tests/support/test_pki.hpp"

#include <boost/json.hpp>

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

using scimldap::testing::slapd_launcher;
using scimldap::testing::slapd_options;

struct arguments {
    slapd_options slapd;
    std::string info_file;
    bool tls = false;
};

constexpr const char* usage =
    "usage: scim-ldap-devslapd [--dir DIR] [--port N] [--sample] [--tenant DN]... [--info-file F]\n"
    "                          [--refint] [--tls] [--server-id N [--provider URI]... "
    "[--consumer]]\n"
    "                          [--empty]\n"
    "  --dir DIR        keep slapd's config and data in DIR (reused if it holds a database)\n"
    "  --port N         listen on 127.0.0.1:N (default: a free port)\n"
    "  --sample         also load ldif/sample.ldif\n"
    "  --tenant DN      a further tenant entry (created by the caller): the service account may\n"
    "                   write below its ou=People/Groups/Roles/Archive like the seeded tenants'\n"
    "  --info-file F    write the connection details as one JSON object to F\n"
    "  --refint         also run slapd's refint overlay on member and manager (benchmarks)\n"
    "  --tls            also serve ldaps:// and StartTLS with a throwaway CA made in DIR\n"
    "                   (needs --dir; the info names ldaps_uri and ca_file)\n"
    "  --server-id N    take part in syncrepl replication as serverID N (1..99), pulling from\n"
    "                   each --provider URI; a provider of a multi-provider pair unless\n"
    "  --consumer       read-only (writes get a referral to the first --provider)\n"
    "  --empty          start without the seeded DIT (a replica pulls it from its providers)\n";

scimldap::testing::slapd_replication& replication(arguments& args) {
    if (!args.slapd.replication) {
        args.slapd.replication.emplace();
    }
    return *args.slapd.replication;
}

arguments parse(int argc, char** argv) {
    arguments args;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(std::string(arg) + " needs a value");
            }
            return argv[++i];
        };
        if (arg == "--dir") {
            args.slapd.keep_dir = value();
        } else if (arg == "--port") {
            const std::string text = value();
            const unsigned long port = std::stoul(text);
            if (port == 0 || port > 65535) {
                throw std::invalid_argument("--port must be 1..65535, not " + text);
            }
            args.slapd.port = static_cast<std::uint16_t>(port);
        } else if (arg == "--sample") {
            args.slapd.seed_sample = true;
        } else if (arg == "--tenant") {
            args.slapd.extra_tenants.push_back(value());
        } else if (arg == "--info-file") {
            args.info_file = value();
        } else if (arg == "--refint") {
            args.slapd.with_refint = true;
        } else if (arg == "--tls") {
            args.tls = true;
        } else if (arg == "--server-id") {
            const std::string text = value();
            const int id = std::stoi(text);
            if (id < 1 || id > 99) {
                throw std::invalid_argument("--server-id must be 1..99, not " + text);
            }
            replication(args).server_id = id;
        } else if (arg == "--provider") {
            replication(args).providers.push_back(value());
        } else if (arg == "--consumer") {
            replication(args).consumer = true;
        } else if (arg == "--empty") {
            args.slapd.seed = false;
        } else {
            throw std::invalid_argument("unknown argument " + std::string(arg));
        }
    }
    if (args.slapd.replication && args.slapd.replication->providers.empty()) {
        throw std::invalid_argument("--server-id, --consumer need at least one --provider");
    }
    if (args.tls && args.slapd.keep_dir.empty()) {
        throw std::invalid_argument("--tls needs --dir (the CA and certificate are kept there)");
    }
    return args;
}

/// A CA and a server certificate for 127.0.0.1 and localhost, in dir/pki.
void add_tls(arguments& args) {
    const std::string dir = args.slapd.keep_dir + "/pki";
    std::filesystem::create_directories(dir);
    const scimldap::testing::test_ca ca(dir, "devslapd");
    const auto server = ca.issue("slapd");
    args.slapd.tls =
        scimldap::testing::slapd_tls{server.cert_file, server.key_file, ca.ca_file(), false};
}

boost::json::object info(const slapd_launcher& slapd, const arguments& args) {
    boost::json::object out{{"ldap_uri", slapd.uri()},
                            {"admin_dn", slapd_launcher::admin_dn},
                            {"admin_password", slapd_launcher::admin_password},
                            {"service_dn", slapd_launcher::service_dn},
                            {"service_password_file", slapd.service_password_file()},
                            {"dir", slapd.dir()}};
    if (args.slapd.tls) {
        out["ldaps_uri"] = slapd.ldaps_uri();
        out["ca_file"] = args.slapd.tls->ca_file;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    arguments args;
    try {
        args = parse(argc, argv);
        if (args.tls) {
            add_tls(args);
        }
    } catch (const std::exception& e) {
        std::cerr << "scim-ldap-devslapd: " << e.what() << "\n" << usage;
        return 2;
    }
    // Blocked before anything starts so a signal is never lost; sigwait() takes it below.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    try {
        slapd_launcher slapd(args.slapd);
        slapd.start();
        const auto details = info(slapd, args);
        for (const auto& [key, value] : details) {
            std::cout << key << ": " << value.as_string().c_str() << "\n";
        }
        std::cout << std::flush;
        if (!args.info_file.empty()) {
            std::ofstream(args.info_file) << boost::json::serialize(details) << "\n";
        }
        int signal_number = 0;
        sigwait(&stop_signals, &signal_number);
        slapd.stop();
    } catch (const std::exception& e) {
        std::cerr << "scim-ldap-devslapd: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
