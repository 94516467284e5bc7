// Runs a set of checks concurrently under the run's deadline and collects their results.
#pragma once

#include <functional>
#include <vector>

#include "checks/check.h"

namespace tlsdoctor::checks {

// Results come back in the order of `selected`, each with id, title and duration filled in.
// Checks run in parallel (each bounds its own steps by ctx.deadline); a check that throws
// propagates to the caller, which is main.
// `on_done`, when given, is called once per check as it finishes (from that check's thread, one
// call at a time), for progress on a terminal.
using CheckDone = std::function<void(const CheckResult&)>;
std::vector<CheckResult> run_checks(const std::vector<const Check*>& selected, const Context& ctx,
                                    const CheckDone& on_done = {});

}  // namespace tlsdoctor::checks
