// Runs one scenario: its components, a reference beside them, the built tlsdoctor, and the comparison with the table.
#pragma once

#include <string>

#include "scenarios/scenario.h"

namespace tlsdoctor::scenarios {

enum class Outcome { Passed, Failed, Skipped };

struct Result {
  Outcome outcome = Outcome::Failed;
  std::string got;      // "server / server.cert_expired / exit 1", or what went wrong
  std::string details;  // on failure: the command, tlsdoctor's report and stderr, component logs
  double seconds = 0;
};

// "layer / cause / exit N" as the table prints it.
std::string describe(const Expected& e);

// Stages the scenario in a directory of its own (removed afterwards, whatever happens), starts a
// tlsdoctor-reference that may observe the scenario's targets, runs tlsdoctor as a user would
// (`-f json`, the reference, the scenario's arguments and environment) and compares the verdict's
// layer, its cause and the exit code with the table. A missing program is Skipped, or Failed when
// TLSDOCTOR_REQUIRE_LAB=1.
Result run_scenario(const Scenario& scenario);

// Every scenario, in the table's order.
std::vector<Scenario> all_scenarios();

}  // namespace tlsdoctor::scenarios
