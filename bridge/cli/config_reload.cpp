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
    // The metrics listener is bound at start; its token (on the main port) may change.
    void keep_metrics_listener(const mapping::config& running, mapping::config& next) {
        const auto where = [](const mapping::config& c) {
            return c.metrics && c.metrics->listen
                       ? c.metrics->listen->host + ":" + std::to_string(c.metrics->listen->port)
                       : std::string();
        };
        if (where(running) == where(next)) {
            return;
        }
        keys_.emplace_back("metrics.listen");
        if (!next.metrics) {
            next.metrics.emplace();
        }
        next.metrics->listen = running.metrics ? running.metrics->listen : std::nullopt;
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
    fixed.keep_metrics_listener(running, next);
    return std::move(fixed).keys();
}

}  // namespace scimldap::cli
