// The list of checks, in report order.
#include "checks/captive_portal.h"
#include "checks/check.h"
#include "checks/clock.h"
#include "checks/interception.h"
#include "checks/path_protocols.h"
#include "checks/protocols.h"
#include "checks/proxy.h"
#include "checks/target.h"
#include "checks/trust_store.h"

namespace tlsdoctor::checks {

std::vector<std::unique_ptr<Check>> all_checks() {
  std::vector<std::unique_ptr<Check>> checks;
  checks.push_back(std::make_unique<ClockCheck>());
  checks.push_back(std::make_unique<TrustStoreCheck>());
  checks.push_back(std::make_unique<ProxyCheck>());
  checks.push_back(std::make_unique<ProtocolsCheck>());
  checks.push_back(std::make_unique<InterceptionCheck>());
  checks.push_back(std::make_unique<PathProtocolsCheck>());
  checks.push_back(std::make_unique<CaptivePortalCheck>());
  checks.push_back(std::make_unique<TargetCheck>());
  return checks;
}

}  // namespace tlsdoctor::checks
