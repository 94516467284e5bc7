// Asks the reference to observe a target (POST /v1/observe): its own handshakes, from outside this network.
#pragma once

#include <optional>
#include <string>

#include "core/deadline.h"
#include "reference/protocol/messages.h"
#include "refclient/reference_client.h"

namespace tlsdoctor::refclient {

struct Observation {
  ReferenceExchange exchange;
  std::optional<reference::ObserveAnswer> answer;  // signed, for this request, well formed
  // Why there is no answer, in words: the reference unreachable or not believed, or its refusal
  // ("forbidden_target: 10.0.0.1 is a private address").
  std::string error;
};

// One observation, bounded by `deadline` (the reference gives up on its own after 15 s).
Observation observe(const ReferenceTarget& reference, const reference::ObserveRequest& request,
                    const Deadline& deadline);

}  // namespace tlsdoctor::refclient
