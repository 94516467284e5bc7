// The protocols check's facts as JSON: OpenSSL's config and applied policy, the loopback table, the stacks.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "checks/protocols.h"
#include "checks/protocols_stacks.h"

namespace tlsdoctor::checks::protocols_detail {

nlohmann::ordered_json protocols_facts_json(const ProtocolsInputs& inputs, const std::vector<StackPolicy>& stacks);

}  // namespace tlsdoctor::checks::protocols_detail
