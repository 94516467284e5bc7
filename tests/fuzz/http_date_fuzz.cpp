// Fuzz target: HTTP Date header values (IMF-fixdate, RFC 850, asctime).
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "fuzz_input.h"
#include "nettime/http_date.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tlsdoctor::fuzz::as_text(data, size);
  if (auto when = tlsdoctor::nettime::parse_http_date(text)) {
    // Within the years accepted; a leap second on the last day reads as the next year's first.
    using namespace std::chrono;
    const sys_days first{year{tlsdoctor::nettime::kFirstDateYear} / January / 1};
    const sys_days after{year{tlsdoctor::nettime::kLastDateYear + 1} / January / 1};
    tlsdoctor::fuzz::require(*when >= system_clock::time_point(first) && *when <= system_clock::time_point(after),
                             "a Date lies within the years accepted");
  }
  return 0;
}
