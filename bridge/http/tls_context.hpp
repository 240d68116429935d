// The server's TLS context from the configured certificate chain and key (PEM files).
#pragma once

#include "mapping/config.hpp"

#include <boost/asio/ssl/context.hpp>

namespace scimldap::http {

/// TLS 1.2+ server context. Throws std::runtime_error naming the file that could not be used.
boost::asio::ssl::context make_tls_context(const mapping::tls_settings& tls);

}  // namespace scimldap::http
