// Runs an outside program (gsettings, certutil) with a deadline and a cap on what it prints.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "platform/env.h"
#include "platform/error.h"

namespace tlsdoctor::platform {

// Output past this is cut off: the programs we run print settings or certificate lists,
// and a user NSS database with many certificates stays well under 4 MB of PEM.
inline constexpr std::size_t kMaxProgramOutputBytes = 4u * 1024u * 1024u;

struct ProgramResult {
  int exit_code = -1;
  std::string out;  // standard output (standard error is discarded)
};

// Runs argv[0] found under env.sysroot's /usr/bin, /bin, /usr/local/bin (in that order), with
// env.vars as its environment, no standard input, killed after `timeout`. Errors: not found,
// not allowed (env.run_programs false), timed out, could not start.
tl::expected<ProgramResult, Error> run_program(const Env& env, const std::vector<std::string>& argv,
                                               std::chrono::milliseconds timeout);

}  // namespace tlsdoctor::platform
