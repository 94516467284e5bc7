// Fuzz target: the report reader and comparison behind `tlsdoctor compare` (input: report A, NUL, report B).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz_input.h"
#include "report/report_diff.h"
#include "report/report_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [first, second] = tlsdoctor::fuzz::split_once(tlsdoctor::fuzz::as_text(data, size), '\0');
  auto a = tlsdoctor::report::parse_report(first, "a.json");
  if (!a) return 0;
  tlsdoctor::fuzz::require(tlsdoctor::report::diff_reports(*a, *a).empty(), "a report does not differ from itself");
  auto b = tlsdoctor::report::parse_report(second, "b.json");
  if (!b) return 0;
  const auto forward = tlsdoctor::report::diff_reports(*a, *b);
  const auto backward = tlsdoctor::report::diff_reports(*b, *a);
  // B against A says what A against B says, with the sides swapped.
  tlsdoctor::fuzz::require(forward.size() == backward.size(), "as many differences either way");
  for (const auto& d : forward) {
    const bool mirrored = std::any_of(backward.begin(), backward.end(), [&](const tlsdoctor::report::Difference& e) {
      return e.area == d.area && e.item == d.item && e.a == d.b && e.b == d.a;
    });
    tlsdoctor::fuzz::require(mirrored, "each difference appears mirrored");
  }
  return 0;
}
