// Small text helpers every parser of configuration files needs: trimming and ASCII case.
#pragma once

#include <string>
#include <string_view>

namespace tlsdoctor::platform {

// `s` without leading and trailing spaces, tabs, CR, LF, FF and VT.
std::string_view trim(std::string_view s);

// ASCII case-insensitive equality (configuration keywords and host names are ASCII).
bool iequals(std::string_view a, std::string_view b);

// ASCII lower case.
std::string to_lower(std::string_view s);

}  // namespace tlsdoctor::platform
