// How far this server's clock may be off, as the kernel's NTP discipline estimates it.
#pragma once

#include <cstdint>

namespace tlsdoctor::reference {

// The kernel's maximum error (adjtimex maxerror) in milliseconds, rounded up; when the clock is
// not synchronised the kernel's bound grows without limit, so kUnsyncedUncertaintyMs is given.
std::int64_t clock_uncertainty_ms();

// Reported when the clock is not synchronised: a day, the most the protocol carries.
inline constexpr std::int64_t kUnsyncedUncertaintyMs = 24LL * 3600 * 1000;

}  // namespace tlsdoctor::reference
