// What differs, that matters, between two JSON reports: verdict, checks, findings, roots, proxy, policy, path.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tlsdoctor::report {

// One difference. `a` or `b` is "" when the item exists on one side only.
struct Difference {
  std::string area;  // verdict, check, finding, root, proxy, policy, reference, path, probe, system
  std::string item;  // what is compared ("layer", a check id, a finding id and its check, a root's subject)
  std::string a;
  std::string b;
};

// Compares two reports (schema tlsdoctor.report/1, already parsed), in a fixed order: verdict,
// checks' statuses, findings (by id and check), roots outside the reference program (by SHA-256)
// and the trust store's size, the proxy route, the policy, the reference, the path observations
// (interception and path_protocols), targets' outcomes (by target and probe label), the system.
std::vector<Difference> diff_reports(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace tlsdoctor::report
