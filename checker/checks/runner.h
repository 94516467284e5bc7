// Runs a set of checks concurrently under the run's deadline and collects their results.
#pragma once

#include <vector>

#include "checks/check.h"

namespace tlsdoctor::checks {

// Results come back in the order of `selected`, each with id, title and duration filled in.
// Checks run in parallel (each bounds its own steps by ctx.deadline); a check that throws
// propagates to the caller, which is main.
std::vector<CheckResult> run_checks(const std::vector<const Check*>& selected, const Context& ctx);

}  // namespace tlsdoctor::checks
