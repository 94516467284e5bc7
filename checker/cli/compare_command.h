// `tlsdoctor compare A.json B.json`: what differs between two reports, for support.
#pragma once

#include "cli/options.h"

namespace tlsdoctor::cli {

// Reads both reports (schema tlsdoctor.report/1), prints the differences that matter (text, or
// -f json: {"schema": "tlsdoctor.compare/1", "a", "b", "differences": [{area, item, a, b}]}), to
// stdout or -o. Returns 0 when nothing that matters differs, 1 when something does, 2 when a
// file cannot be read or is not a report (the message names it).
int run_compare_command(const Options& options);

}  // namespace tlsdoctor::cli
