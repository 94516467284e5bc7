// The proxy check's facts for the report: every source's settings and answers, credentials redacted.
#pragma once

#include <nlohmann/json.hpp>

#include "checks/proxy_judgement.h"

namespace tlsdoctor::checks {

nlohmann::ordered_json proxy_facts(const ProxyObservations& seen);

}  // namespace tlsdoctor::checks
