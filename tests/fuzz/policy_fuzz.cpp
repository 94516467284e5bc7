// Fuzz target: the policy file parser (JSON, schema, every field's checks).
#include <cstddef>
#include <cstdint>

#include "fuzz_input.h"
#include "policy/policy_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tlsdoctor::fuzz::as_text(data, size);
  auto policy = tlsdoctor::policy::parse_policy(text, "fuzz.json");
  if (!policy) {
    tlsdoctor::fuzz::require(!policy.error().message.empty(), "a refused policy says why");
  }
  (void)tlsdoctor::policy::normalize_spki_pin(text.substr(0, 128));
  return 0;
}
