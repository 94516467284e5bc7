// The path_protocols check: each TLS version and a large ClientHello, straight to the reference, which accepts them all.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "checks/check.h"
#include "tls/handshake.h"

namespace tlsdoctor::checks {

// The most of the run's deadline these handshakes may use together (they run at once).
inline constexpr std::chrono::seconds kPathProbeBudget{8};

// The reference's handshakes this check judges.
struct PathProbes {
  tls::Handshake normal;                 // the default ClientHello
  std::vector<tls::Handshake> versions;  // one pinned to each of TLS 1.0-1.3, oldest first
  tls::Handshake large;                  // a ClientHello of at least tls::kLargeHelloBytes
};

// Nothing unless the default handshake completed (else the path to the reference is not open
// at all, which the interception check reports). Then: a large ClientHello that fails on the
// wire is path.large_hello_intolerance (fail); a pinned version cut on the wire is
// path.protocol_blocked: fail for TLS 1.2, warn for 1.3 (clients fall back, 1.3-only sites
// fail), info for 1.0 and 1.1 (blocking them is good practice). A version this OpenSSL cannot
// offer, or the reference refuses with a protocol_version alert, is not the path's.
CheckResult judge_path_protocols(const PathProbes& probes);

class PathProtocolsCheck : public Check {
 public:
  std::string_view id() const override { return "path_protocols"; }
  std::string_view title() const override { return "TLS on the path"; }
  // Skips without a live reference.
  CheckResult run(const Context& ctx) const override;
};

}  // namespace tlsdoctor::checks
