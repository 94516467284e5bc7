// Which live reference a run uses: the command line's, else the one this build was configured with.
#pragma once

#include <optional>
#include <string>

#include "cli/options.h"

namespace tlsdoctor::cli {

struct ReferenceChoice {
  std::string url;
  std::string key;  // a .pub file's path or "ed25519:..." text, as --reference-key takes it
  bool from_build = false;
};

// TLSDOCTOR_DEFAULT_REFERENCE_URL and _KEY from CMake; empty strings when not configured.
ReferenceChoice build_default_reference();

// --reference-file means no live reference; --reference with its key wins; else `fallback`
// when it names both a URL and a key. nullopt: no live reference.
std::optional<ReferenceChoice> choose_reference(const Options& options, const ReferenceChoice& fallback);

}  // namespace tlsdoctor::cli
