// Reading and validating a policy file: every error names the field and says what is wrong.
#pragma once

#include <filesystem>
#include <string_view>

#include <tl/expected.hpp>

#include "core/error.h"
#include "policy/policy.h"

namespace tlsdoctor::policy {

// Parses a policy's JSON text; `source` (its path) goes into Policy::source and every Error's
// input. Errors: not JSON (with line and column), an unknown field (a typo would otherwise be
// silently ignored on thousands of machines), a field of the wrong type or out of range.
// Check ids and targets are left to the caller, which knows the checks and target syntax.
tl::expected<Policy, Error> parse_policy(std::string_view text, std::string_view source);

// The file at `path` (at most kMaxPolicyBytes), parsed as above.
tl::expected<Policy, Error> load_policy(const std::filesystem::path& path);

// An SPKI pin as a policy may write it: 64 hex digits (colons allowed) or "sha256/BASE64" (the
// form curl's --pinnedpubkey and HPKP use). Lowercase hex, or "" when it is neither.
std::string normalize_spki_pin(std::string_view text);

}  // namespace tlsdoctor::policy
