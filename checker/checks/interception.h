// The interception check: this machine's TLS to the reference set against what the reference says it served and received.
#pragma once

#include <optional>
#include <string_view>

#include "checks/check.h"
#include "core/check_result.h"
#include "refclient/echo_comparison.h"
#include "refclient/reference_client.h"

namespace tlsdoctor::checks {

// The whole judgement, a pure function of one echo exchange (tests call it directly).
// Findings: reference.unreachable, reference.bad_signature, reference.stale (a replayed
// answer), path.interception (the chain received is not the one the reference sent, or the
// ClientHello it received is not the one sent). Facts: the exchange and the comparison.
CheckResult judge_reference_echo(const refclient::ReferenceExchange& exchange);

class InterceptionCheck final : public Check {
 public:
  std::string_view id() const override { return "interception"; }
  std::string_view title() const override { return "Interception (compared with the reference)"; }
  // Skips, saying why, when no reference was given.
  CheckResult run(const Context& ctx) const override;
};

}  // namespace tlsdoctor::checks
