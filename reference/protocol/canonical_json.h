// The one byte form of a JSON message both sides produce, and bounded parsing of what arrives.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor::reference {

// Canonical form: object keys sorted by their UTF-8 bytes, no insignificant whitespace,
// strings as UTF-8 with only '"', '\\' and control characters escaped (\uXXXX, lowercase hex
// except \b \f \n \r \t), integers only. Signatures cover the exact bytes sent, so a verifier
// never re-serialises; canonical bytes make answers reproducible, comparable and diffable.
// Errors: a floating-point number (the protocol has none: times are RFC 3339 strings,
// durations integer milliseconds) or invalid UTF-8 in a string.
tl::expected<std::string, Error> canonical_json(const nlohmann::json& value);

// The largest nesting parse_json accepts: real messages nest five or six deep.
inline constexpr std::size_t kMaxJsonDepth = 32;

// Parses `text` (at most `max_bytes`) into a JSON value; the error names `what` ("echo
// answer", "observe request") and says what is wrong, without echoing the input.
tl::expected<nlohmann::json, Error> parse_json(std::string_view text, std::size_t max_bytes, std::string_view what);

}  // namespace tlsdoctor::reference
