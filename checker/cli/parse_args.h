// Command-line parsing with CLI11 into Options; usage errors come back as values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "cli/options.h"

namespace tlsdoctor::cli {

struct UsageError {
  std::string message;  // names the argument at fault
};

// `known_checks` are the ids --only accepts.
tl::expected<Options, UsageError> parse_args(int argc, const char* const* argv,
                                             const std::vector<std::string_view>& known_checks);

}  // namespace tlsdoctor::cli
