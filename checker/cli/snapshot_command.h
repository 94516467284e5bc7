// `tlsdoctor snapshot TARGET... -o FILE`: records what a known-good machine sees of each target, for --reference-file.
#pragma once

#include "cli/options.h"
#include "platform/env.h"

namespace tlsdoctor::cli {

// Probes every target (the default ClientHello and each TLS version pinned, directly, as the
// reference observes) and writes the snapshot to -o atomically. Returns 0 when written (a
// target that failed is recorded as it failed: that too is what this machine saw), 2 for bad
// input (no -o, an unreadable --ca-file, an unwritable output), 3 when nothing could be run.
int run_snapshot_command(const Options& options, const platform::Env& env);

}  // namespace tlsdoctor::cli
