// Linux: the clock's error bound from adjtimex(2), which NTP and chrony keep up to date.
#include <sys/timex.h>

#include "reference/server/clock_uncertainty.h"

namespace tlsdoctor::reference {

std::int64_t clock_uncertainty_ms() {
  timex state{};  // modes 0: read only, no privileges needed
  const int status = ::adjtimex(&state);
  if (status == -1 || status == TIME_ERROR || (state.status & STA_UNSYNC) != 0) return kUnsyncedUncertaintyMs;
  const std::int64_t ms = (static_cast<std::int64_t>(state.maxerror) + 999) / 1000;  // maxerror is in microseconds
  return ms < kUnsyncedUncertaintyMs ? ms : kUnsyncedUncertaintyMs;
}

}  // namespace tlsdoctor::reference
