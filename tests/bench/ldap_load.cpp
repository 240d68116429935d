// ldap_load: the raw-LDAP baseline. C connections through libldap directly (not the bridge's
// client), each with exactly one equality search in flight, driven by one poll() loop.
#include "tests/bench/load_report.hpp"

#include <lber.h>
#include <ldap.h>
#include <poll.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace scimldap::bench;

constexpr const char* usage =
    "usage: ldap_load --uri URI [options]\n"
    "  --uri URI              ldap://host:port\n"
    "  --bind-dn DN           simple bind as DN (default: anonymous)\n"
    "  --password-file F      the bind password (first line of F)\n"
    "  --base DN              search base (default ou=People,dc=example,dc=org)\n"
    "  --filter TEMPLATE      {K} is a random user number (default (uid=user{K}))\n"
    "  --attrs A,B,...        attributes to return (default: what a SCIM User read needs)\n"
    "  --readahead            push liblber's read-ahead layer (fewer read() calls)\n"
    "  --expect-entries N     entries each search must return (default 1; -1: any)\n";

struct ldap_options {
    std::string uri;
    std::string bind_dn;
    std::string password;
    std::string base = "ou=People,dc=example,dc=org";
    std::string filter = "(uid=user{K})";
    std::vector<std::string> attrs = {"objectClass",
                                      "uid",
                                      "cn",
                                      "sn",
                                      "givenName",
                                      "displayName",
                                      "mail",
                                      "entryUUID",
                                      "createTimestamp",
                                      "modifyTimestamp",
                                      "entryCSN"};
    bool readahead = false;
    int expect_entries = 1;
    load_options load;
};

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= text.size()) {
        const auto comma = text.find(',', from);
        const auto end = comma == std::string::npos ? text.size() : comma;
        if (end > from) {
            out.push_back(text.substr(from, end - from));
        }
        from = end + 1;
    }
    return out;
}

ldap_options parse(int argc, char** argv) {
    ldap_options options;
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
        if (arg == "--uri") {
            options.uri = value();
        } else if (arg == "--bind-dn") {
            options.bind_dn = value();
        } else if (arg == "--password-file") {
            const std::string file = value();
            std::ifstream in(file);
            if (!std::getline(in, options.password)) {
                throw std::invalid_argument("cannot read " + file);
            }
        } else if (arg == "--base") {
            options.base = value();
        } else if (arg == "--filter") {
            options.filter = value();
        } else if (arg == "--attrs") {
            options.attrs = split_commas(value());
        } else if (arg == "--readahead") {
            options.readahead = true;
        } else if (arg == "--expect-entries") {
            options.expect_entries = std::stoi(value());
        } else {
            throw std::invalid_argument("unknown argument " + arg);
        }
    }
    if (options.uri.empty()) {
        throw std::invalid_argument("--uri is required");
    }
    return options;
}

struct ldap_deleter {
    void operator()(LDAP* ld) const { ldap_unbind_ext(ld, nullptr, nullptr); }
};
using ldap_ptr = std::unique_ptr<LDAP, ldap_deleter>;

struct message_deleter {
    void operator()(LDAPMessage* message) const { ldap_msgfree(message); }
};
using message_ptr = std::unique_ptr<LDAPMessage, message_deleter>;

std::string ldap_failure(const char* what, int rc) {
    return std::string(what) + ": " + ldap_err2string(rc) + " (" + std::to_string(rc) + ")";
}

ldap_ptr connect(const ldap_options& options) {
    LDAP* raw = nullptr;
    int rc = ldap_initialize(&raw, options.uri.c_str());
    ldap_ptr ld(raw);
    if (rc != LDAP_SUCCESS) {
        throw std::runtime_error(ldap_failure("ldap_initialize", rc));
    }
    const int version = LDAP_VERSION3;
    ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    berval credentials{static_cast<ber_len_t>(options.password.size()),
                       const_cast<char*>(options.password.c_str())};
    rc = ldap_sasl_bind_s(ld.get(), options.bind_dn.empty() ? nullptr : options.bind_dn.c_str(),
                          LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr, nullptr);
    if (rc != LDAP_SUCCESS) {
        throw std::runtime_error(ldap_failure("bind", rc));
    }
    if (options.readahead) {
        Sockbuf* sockbuf = nullptr;
        ldap_get_option(ld.get(), LDAP_OPT_SOCKBUF, &sockbuf);
        ber_sockbuf_add_io(sockbuf, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, nullptr);
    }
    return ld;
}

// One connection with at most one search in flight.
struct connection {
    ldap_ptr ld;
    int fd = -1;
    int msgid = -1;
    bench_clock::time_point sent;
};

class ldap_driver {
public:
    explicit ldap_driver(const ldap_options& options) : options_(options), run_(options.load) {
        for (const auto& attr : options_.attrs) {
            attr_pointers_.push_back(const_cast<char*>(attr.c_str()));
        }
        attr_pointers_.push_back(nullptr);
    }

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
                fds[i] = {connections_[i].fd, POLLIN, 0};
            }
            const int ready = poll(fds.data(), fds.size(), 100);
            if (ready < 0 && errno != EINTR) {
                throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
            }
            for (std::size_t i = 0; i < fds.size() && !run_.finished(); ++i) {
                if (fds[i].revents != 0) {
                    on_readable(connections_[i]);
                }
            }
            run_.tick(bench_clock::now());
        }
        std::cout << run_.report("ldap_load") << std::endl;
    }

private:
    void open(connection& c) {
        c.ld = connect(options_);
        ldap_get_option(c.ld.get(), LDAP_OPT_DESC, &c.fd);
        c.msgid = -1;
    }

    void send(connection& c) {
        const std::string filter = substitute_user(options_.filter, run_.random_user());
        c.sent = bench_clock::now();
        const int rc =
            ldap_search_ext(c.ld.get(), options_.base.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(),
                            attr_pointers_.data(), 0, nullptr, nullptr, nullptr, 0, &c.msgid);
        if (rc != LDAP_SUCCESS) {
            fail(c, ldap_failure("ldap_search_ext", rc));
        }
    }

    // Reads what is ready; a complete result is recorded and the next search goes out at once.
    void on_readable(connection& c) {
        timeval zero{0, 0};
        LDAPMessage* raw = nullptr;
        int type = 0;
        // With read-ahead, the rest of the result may already sit in liblber's buffer while
        // the socket reports nothing more to read: keep reading while the buffer holds data.
        do {
            type = ldap_result(c.ld.get(), c.msgid, LDAP_MSG_ALL, &zero, &raw);
        } while (type == 0 && buffered(c));
        const message_ptr result(raw);
        if (type == 0) {
            return;  // not complete yet
        }
        if (type < 0) {
            int error = LDAP_OTHER;
            ldap_get_option(c.ld.get(), LDAP_OPT_RESULT_CODE, &error);
            fail(c, ldap_failure("ldap_result", error));
            return;
        }
        const auto now = bench_clock::now();
        const int entries = ldap_count_entries(c.ld.get(), result.get());
        int rc = LDAP_OTHER;
        ldap_parse_result(c.ld.get(), result.get(), &rc, nullptr, nullptr, nullptr, nullptr, 0);
        if (rc != LDAP_SUCCESS) {
            run_.error(ldap_failure("search", rc));
        } else if (options_.expect_entries >= 0 && entries != options_.expect_entries) {
            run_.error("search returned " + std::to_string(entries) + " entries, expected " +
                       std::to_string(options_.expect_entries));
        } else {
            run_.record(c.sent, now);
        }
        if (!run_.finished()) {
            send(c);
        }
    }

    static bool buffered(const connection& c) {
        Sockbuf* sockbuf = nullptr;
        ldap_get_option(c.ld.get(), LDAP_OPT_SOCKBUF, &sockbuf);
        return ber_sockbuf_ctrl(sockbuf, LBER_SB_OPT_DATA_READY, nullptr) != 0;
    }

    // A broken connection counts as an error and is replaced, so the concurrency stays C.
    void fail(connection& c, const std::string& what) {
        run_.error(what);
        if (run_.finished()) {
            return;
        }
        open(c);
        send(c);
    }

    const ldap_options& options_;
    load_run run_;
    std::vector<char*> attr_pointers_;
    std::vector<connection> connections_;
};

}  // namespace

int main(int argc, char** argv) {
    ldap_options options;
    try {
        options = parse(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "ldap_load: " << e.what() << "\n" << usage << load_options_usage;
        return 2;
    }
    try {
        ldap_driver(options).run();
    } catch (const std::exception& e) {
        std::cerr << "ldap_load: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
