// The text rendering: one line per check with a mark, a summary, and the first thing to do.
#pragma once

#include <string>

#include "report/report.h"

namespace tlsdoctor::report {

struct TextOptions {
  bool color = false;    // ANSI colours (the CLI turns them on only for a TTY without NO_COLOR)
  bool unicode = true;   // ✓ ! ✗ marks; ASCII when the locale is not UTF-8
  bool verbose = false;  // evidence and the facts each check used
  bool quiet = false;    // only the final verdict sentence
  std::size_t width = 80;
};

std::string render_text(const Report& report, const TextOptions& options);

}  // namespace tlsdoctor::report
