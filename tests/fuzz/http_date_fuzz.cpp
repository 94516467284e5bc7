// Fuzz target: HTTP Date header values (IMF-fixdate, RFC 850, asctime).
#include <cstddef>
#include <cstdint>

#include "fuzz_input.h"
#include "nettime/http_date.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tlsdoctor::fuzz::as_text(data, size);
  if (auto when = tlsdoctor::nettime::parse_http_date(text)) {
    // Years outside 1900-2200 are refused.
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(when->time_since_epoch()).count();
    tlsdoctor::fuzz::require(seconds >= -2208988800LL && seconds < 7289654400LL, "a Date lies in years 1900-2200");
  }
  return 0;
}
