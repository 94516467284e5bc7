// The target check: handshakes with the sites the user named, as this machine makes them, and where each fault lies.
#pragma once

#include <chrono>
#include <cstddef>

#include "checks/check.h"
#include "checks/target_judgement.h"

namespace tlsdoctor::checks {

// The most of the run's deadline the targets' handshakes and their follow-ups may use.
inline constexpr std::chrono::seconds kTargetBudget{12};

// Observations one run asks of the reference: its token bucket holds 5 per client.
inline constexpr std::size_t kMaxObservedTargets = 5;

// Whether `chain` verifies at `at` as far as validity dates go (other errors are not asked):
// "would this certificate be accepted if the clock were right".
bool dates_valid_at(const tls::Handshake& handshake, std::chrono::system_clock::time_point at);

class TargetCheck : public Check {
 public:
  std::string_view id() const override { return "target"; }
  std::string_view title() const override { return "Targets"; }
  // Skips without targets. Probes every target at once (system trust unless --ca-file, the
  // route this machine would take), then runs the follow-ups the failures call for, together:
  // a neutral SNI for a cut handshake, each TLS version for no common parameters, and the
  // trusted time (asked once) for a certificate out of date. Facts: "probes" (every handshake as
  // the report's probe objects) and "targets" (each target's failure and follow-ups).
  CheckResult run(const Context& ctx) const override;
};

}  // namespace tlsdoctor::checks
