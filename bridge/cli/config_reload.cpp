#include "bridge/cli/config_reload.hpp"

namespace scimldap::cli {

namespace {

// Records a differing fixed setting and puts the running value back.
class restart_only {
public:
    template <class T>
    void keep(const char* key, const T& running, T& next) {
        if (!(running == next)) {
            keys_.emplace_back(key);
            next = running;
        }
    }
    void keep_tls(const mapping::listen_settings& running, mapping::listen_settings& next) {
        if (running.tls.has_value() != next.tls.has_value()) {
            keys_.emplace_back("listen.tls");
            next.tls = running.tls;
        }
    }
    std::vector<std::string> keys() && { return std::move(keys_); }

private:
    std::vector<std::string> keys_;
};

}  // namespace

std::vector<std::string> keep_restart_only_settings(const mapping::config& running,
                                                    mapping::config& next) {
    restart_only fixed;
    fixed.keep("listen.host", running.listen.host, next.listen.host);
    fixed.keep("listen.port", running.listen.port, next.listen.port);
    // The certificate and key files may change (renewal); whether the port speaks TLS may not.
    fixed.keep_tls(running.listen, next.listen);
    // One io_context per IO thread is made at start.
    fixed.keep("http.io_threads", running.http.io_threads, next.http.io_threads);
    // Replacing a logger that other threads use is not safe; its level may change (service).
    fixed.keep("logging.format", running.logging.format, next.logging.format);
    return std::move(fixed).keys();
}

}  // namespace scimldap::cli
