// Separate compilation units for Asio and Beast (BOOST_*_SEPARATE_COMPILATION): compiled once here
// instead of in every translation unit.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
