// `tlsdoctor probe`: builds the probe specs from the options, runs them, renders the observations.
#pragma once

#include "cli/options.h"
#include "platform/env.h"

namespace tlsdoctor::cli {

// Returns the exit code: 0 when the main probe's handshake completed and its chain verified,
// 1 when it failed (the failure class says why), 2 for bad input (an unreadable --ca-file, a
// proxy URL that does not parse), 3 when nothing could be run.
int run_probe_command(const Options& options, const platform::Env& env);

}  // namespace tlsdoctor::cli
