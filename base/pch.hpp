// Precompiled header of the layers without I/O (base, mapping): no Asio or Beast here, so
// those layers cannot start depending on them unnoticed.
#pragma once

#include <fmt/format.h>
#include <boost/json.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>
