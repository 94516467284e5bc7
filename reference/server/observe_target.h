// POST /v1/observe: the reference's own probes of a vetted target with the checker's engine.
#pragma once

#include <chrono>

#include <tl/expected.hpp>

#include "core/deadline.h"
#include "reference/protocol/messages.h"
#include "reference/server/target_vetting.h"
#include "tls/dns.h"
#include "tls/probe_spec.h"

namespace tlsdoctor::reference {

// The whole observation (DNS, then every version's handshake at once) ends by this; the
// checker's client waits a little longer for the answer.
inline constexpr std::chrono::seconds kObserveDeadline{15};

struct ObserveSettings {
  VettingPolicy vetting;
  // What the reference verifies the target's chain against: its system store, or --ca-file.
  tls::TrustSpec trust;
  std::chrono::milliseconds deadline = kObserveDeadline;
};

// The observation itself: the default ClientHello and each TLS version pinned, against
// `addresses` (empty: the engine resolves the name). Not vetted: the server calls it through
// observe_target; `tlsdoctor snapshot` calls it for targets a user names on their own machine.
ObserveAnswer observe_now(const ObserveRequest& target, const std::vector<std::string>& addresses,
                          const tls::TrustSpec& trust, const Deadline& deadline);

// Vets the target (a refusal becomes a signed 400 or 403 answer), then probes the one vetted
// address with the default ClientHello and with each TLS version pinned. The probes measure
// the server, so they offer everything this OpenSSL can (security level 0).
tl::expected<ObserveAnswer, ErrorAnswer> observe_target(const ObserveRequest& request, const ObserveSettings& settings,
                                                        tls::AddressLookup lookup = ::getaddrinfo);

}  // namespace tlsdoctor::reference
