// The interception check: this machine's TLS to the reference set against what the reference says it served and received.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "checks/check.h"
#include "core/check_result.h"
#include "policy/policy.h"
#include "refclient/echo_comparison.h"
#include "refclient/reference_client.h"
#include "refclient/snapshot_comparison.h"

namespace tlsdoctor::checks {

// The whole judgement, a pure function of one echo exchange (tests call it directly).
// Findings: reference.unreachable, reference.bad_signature, reference.stale (a replayed
// answer), path.interception (the chain received is not the one the reference sent, or the
// ClientHello it received is not the one sent), or what the policy's `expected` inspection makes
// of that (checks/expected_inspection.h). Facts: the exchange and the comparison.
CheckResult judge_reference_echo(const refclient::ReferenceExchange& exchange,
                                 std::span<const policy::ExpectedInspection> expected = {});

// With a snapshot instead (--reference-file): `seen` holds this machine's handshake with each
// recorded target, in the snapshot's order. path.interception when a target that completed on
// both machines presents a certificate from another issuer here (or what `expected` makes of it).
CheckResult judge_snapshot(const refclient::SnapshotReference& reference, const std::vector<tls::Handshake>& seen,
                           std::span<const policy::ExpectedInspection> expected = {});

class InterceptionCheck final : public Check {
 public:
  std::string_view id() const override { return "interception"; }
  std::string_view title() const override { return "Interception (compared with the reference)"; }
  // Skips, saying why, when no reference was given (neither --reference nor --reference-file).
  CheckResult run(const Context& ctx) const override;
};

}  // namespace tlsdoctor::checks
