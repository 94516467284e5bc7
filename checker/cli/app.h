// The tlsdoctor command: parse, run the checks, diagnose, redact, render, exit code.
#pragma once

namespace tlsdoctor::cli {

// Returns the process exit code (DESIGN.md: 0 healthy, 1 problems, 2 usage, 3 could not run).
int run(int argc, const char* const* argv);

}  // namespace tlsdoctor::cli
