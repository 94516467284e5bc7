// UTF-8 validity (RFC 3629) and a lossless text form for bytes from the wire that are not UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace tlsdoctor {

// Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// `text` with every byte that is not part of well-formed UTF-8 written as "\xNN" (uppercase
// hex), and then every backslash as "\x5C" too, so that JSON can carry header values, names and
// SNI as they arrived and the bytes can be told apart from text that looked like an escape.
// Valid text comes back unchanged.
std::string escape_invalid_utf8(std::string_view text);

}  // namespace tlsdoctor
