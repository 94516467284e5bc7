// The build's default reference (compile definitions set by checker/CMakeLists.txt) and the choice between it and the flags.
#include "cli/default_reference.h"

namespace tlsdoctor::cli {

ReferenceChoice build_default_reference() {
  return ReferenceChoice{TLSDOCTOR_DEFAULT_REFERENCE_URL, TLSDOCTOR_DEFAULT_REFERENCE_KEY, true};
}

std::optional<ReferenceChoice> choose_reference(const Options& options, const ReferenceChoice& fallback) {
  if (options.reference_file) return std::nullopt;
  if (options.reference_url && options.reference_key) {
    return ReferenceChoice{*options.reference_url, *options.reference_key, false};
  }
  if (!fallback.url.empty() && !fallback.key.empty()) return fallback;
  return std::nullopt;
}

}  // namespace tlsdoctor::cli
