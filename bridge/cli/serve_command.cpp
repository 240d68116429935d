#include "bridge/cli/commands.hpp"
#include "bridge/cli/logging_setup.hpp"
#include "bridge/cli/sd_notify.hpp"
#include "bridge/cli/service.hpp"
#include "bridge/cli/signing_key_files.hpp"
#include "mapping/config_loader.hpp"
#include "mapping/config_overrides.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>

namespace scimldap::cli {

namespace {

void print_errors(const std::vector<mapping::config_error>& errors) {
    for (const mapping::config_error& e : errors) {
        std::cerr << e.to_string() << '\n';
    }
}

// File < environment < flags.
std::optional<mapping::config> effective_config(const command_line& cl) {
    auto loaded = mapping::load_config(cl.config_file, mapping::default_profile_dirs());
    if (!loaded) {
        print_errors(loaded.error());
        return std::nullopt;
    }
    std::vector<mapping::config_override> overrides =
        mapping::environment_overrides([](const char* name) { return std::getenv(name); });
    overrides.insert(overrides.end(), cl.overrides.begin(), cl.overrides.end());
    if (auto applied = mapping::apply_overrides(*loaded, overrides); !applied) {
        print_errors(applied.error());
        return std::nullopt;
    }
    if (const auto errors = read_signing_keys(*loaded, cl.config_file); !errors.empty()) {
        print_errors(errors);
        return std::nullopt;
    }
    return std::move(*loaded);
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

}  // namespace

int run_serve(const command_line& cl) {
    std::optional<mapping::config> config = effective_config(cl);
    if (!config) {
        return exit_error;
    }
    setup_logging(config->logging);
    try {
        service svc(std::move(*config), [](std::string_view state) { sd_notify(state); });
        boost::asio::signal_set signals(svc.io(), SIGINT, SIGTERM);
        handle_signals(signals, svc);
        svc.start();
        svc.wait();
    } catch (const std::exception& e) {
        spdlog::critical("cannot run: {}", e.what());
        return exit_error;
    }
    return exit_ok;
}

}  // namespace scimldap::cli
