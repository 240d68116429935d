#include "bridge/cli/commands.hpp"
#include "bridge/cli/logging_setup.hpp"
#include "bridge/cli/sd_notify.hpp"
#include "bridge/cli/service.hpp"
#include "bridge/cli/signing_key_files.hpp"
#include "bridge/cli/watchdog.hpp"
#include "mapping/config_loader.hpp"
#include "mapping/config_overrides.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/signal_set.hpp>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

namespace scimldap::cli {

namespace {

using loaded_config = boost::system::result<mapping::config, std::vector<mapping::config_error>>;

// File < environment < flags: the same at start and at every reload.
loaded_config effective_config(const command_line& cl) {
    auto loaded = mapping::load_config(cl.config_file, mapping::default_profile_dirs());
    if (!loaded) {
        return loaded;
    }
    std::vector<mapping::config_override> overrides =
        mapping::environment_overrides([](const char* name) { return std::getenv(name); });
    overrides.insert(overrides.end(), cl.overrides.begin(), cl.overrides.end());
    if (auto applied = mapping::apply_overrides(*loaded, overrides); !applied) {
        return applied.error();
    }
    if (auto errors = read_signing_keys(*loaded, cl.config_file); !errors.empty()) {
        return errors;
    }
    return loaded;
}

// First SIGTERM/SIGINT: graceful shutdown. A second one: stop at once.
void handle_signals(boost::asio::signal_set& signals, service& svc) {
    signals.async_wait([&signals, &svc](const boost::system::error_code& ec, int number) {
        if (ec) {
            return;
        }
        if (number == SIGINT || number == SIGTERM) {
            spdlog::info("signal {}: shutting down gracefully (again to stop at once)", number);
            svc.request_shutdown();
            signals.async_wait([&svc](const boost::system::error_code& again, int) {
                if (!again) {
                    spdlog::warn("second signal: stopping now");
                    svc.stop_now();
                }
            });
        }
    });
}

// Every SIGHUP (systemd's ExecReload) reloads the configuration the process was started with.
void handle_reloads(boost::asio::signal_set& hangups, service& svc, const command_line& cl) {
    hangups.async_wait([&hangups, &svc, &cl](const boost::system::error_code& ec, int) {
        if (ec) {
            return;
        }
        spdlog::info("SIGHUP: reloading {}", cl.config_file);
        svc.reload([&cl] { return effective_config(cl); });
        handle_reloads(hangups, svc, cl);
    });
}

// Every SIGUSR1 (logrotate's postrotate) reopens the audit log file.
void handle_reopens(boost::asio::signal_set& usr1, service& svc) {
    usr1.async_wait([&usr1, &svc](const boost::system::error_code& ec, int) {
        if (ec) {
            return;
        }
        svc.reopen_logs();
        handle_reopens(usr1, svc);
    });
}

}  // namespace

int run_serve(const command_line& cl) {
    // Until its handler is installed, SIGUSR1 would kill the process (its default action): a
    // logrotate run during start-up must not.
    ::signal(SIGUSR1, SIG_IGN);
    loaded_config config = effective_config(cl);
    if (!config) {
        for (const mapping::config_error& e : config.error()) {
            std::cerr << e.to_string() << '\n';
        }
        return exit_error;
    }
    setup_logging(config->logging);
    try {
        service svc(std::move(*config), [](std::string_view state) { sd_notify(state); });
        if (const auto interval = watchdog_interval(std::getenv("WATCHDOG_USEC"),
                                                    std::getenv("WATCHDOG_PID"), ::getpid())) {
            svc.watch(*interval);
        }
        boost::asio::signal_set signals(svc.io(), SIGINT, SIGTERM);
        handle_signals(signals, svc);
        boost::asio::signal_set hangups(svc.io(), SIGHUP);
        handle_reloads(hangups, svc, cl);
        boost::asio::signal_set usr1(svc.io(), SIGUSR1);
        handle_reopens(usr1, svc);
        svc.start();
        svc.wait();
    } catch (const std::exception& e) {
        spdlog::critical("cannot run: {}", e.what());
        return exit_error;
    }
    return exit_ok;
}

}  // namespace scimldap::cli
