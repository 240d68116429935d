// Separate compilation units for Asio and Beast (BOOST_*_SEPARATE_COMPILATION): compiled once here
// instead of in every translation unit.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
// TLS (listen.tls) under separate compilation.
#include <boost/asio/ssl/impl/src.hpp>
