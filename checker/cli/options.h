// The parsed command line: what to run and how to show it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tlsdoctor::cli {

enum class Command { Check, ListChecks, Version, Help };
enum class Format { Text, Json };

// Whole-run deadline when --timeout is not given (DESIGN.md: default 15 s).
inline constexpr std::chrono::seconds kDefaultRunTimeout{15};
// --timeout bounds: below 1 s nothing useful finishes; above 10 minutes is a typo, not a plan.
inline constexpr double kMinTimeoutSeconds = 1.0;
inline constexpr double kMaxTimeoutSeconds = 600.0;

struct Options {
  Command command = Command::Check;
  Format format = Format::Text;
  std::optional<std::string> output;  // -o FILE
  std::vector<std::string> only;      // --only ids, validated against the check list
  std::chrono::milliseconds timeout{kDefaultRunTimeout};
  bool verbose = false;
  bool quiet = false;
  bool no_color = false;
  bool no_redact = false;
  std::vector<std::string> targets;
  std::string help_text;  // filled for Command::Help
};

}  // namespace tlsdoctor::cli
