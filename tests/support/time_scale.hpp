// How much longer the tests' timeouts and time bounds are in a sanitized build.
#pragma once

#include <chrono>

namespace scimldap::testing {

// ASan and UBSan slow the bridge several times over, and ctest runs two suites side by side on
// two cores: a bound that holds with room to spare in the plain build can fail there without a
// fault in the bridge. Scaling the configured timeouts with their bounds keeps what a test
// tells apart (the timeout against the lack of one) the same in both builds.
#ifdef SCIMLDAP_SANITIZED
inline constexpr int time_scale = 3;
#else
inline constexpr int time_scale = 1;
#endif

/// `d` in the plain build, `time_scale` times `d` in a sanitized one.
template <class Rep, class Period>
constexpr std::chrono::duration<Rep, Period> scaled(std::chrono::duration<Rep, Period> d) {
    return d * time_scale;
}

}  // namespace scimldap::testing
