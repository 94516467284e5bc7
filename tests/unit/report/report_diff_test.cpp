// Tests for report/report_diff.cpp: each area's differences found, and none between a report and itself.
#include <catch2/catch.hpp>

#include <algorithm>

#include "report/json_renderer.h"
#include "report/report_diff.h"
#include "unit/report/sample_report.h"

using namespace tlsdoctor;
using namespace tlsdoctor::report;
using nlohmann::json;

namespace {

json as_json(const Report& r) { return json::parse(render_json(r)); }

const Difference* find(const std::vector<Difference>& diffs, const std::string& area, const std::string& item) {
  const auto it = std::find_if(diffs.begin(), diffs.end(), [&](const auto& d) { return d.area == area && d.item == item; });
  return it == diffs.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("report diff: a report against itself differs in nothing, not even its run id", "[report_diff]") {
  const auto a = as_json(test::sample_report());
  auto b = a;
  b["run"]["id"] = "fedcba9876543210";
  CHECK(diff_reports(a, b).empty());
}

TEST_CASE("report diff: verdict, check status and findings on one side only", "[report_diff]") {
  const auto before = test::sample_report();
  auto after = before;
  after.checks.erase(after.checks.begin() + 1);  // the proxy problem is gone
  after.verdict = diagnosis::diagnose(after.checks);
  const auto diffs = diff_reports(as_json(before), as_json(after));
  const auto* layer = find(diffs, "verdict", "layer");
  REQUIRE(layer);
  CHECK(layer->a == "local");
  CHECK(layer->b == "none");
  const auto* finding = find(diffs, "finding", "proxy.unreachable (proxy)");
  REQUIRE(finding);
  CHECK(finding->b.empty());
  CHECK(finding->a.find("fail: ") == 0);
  const auto* status = find(diffs, "check", "proxy");
  REQUIRE(status);
  CHECK(status->a == "fail");
  CHECK(status->b.empty());
}

TEST_CASE("report diff: roots outside the program, the proxy route, policy, path and targets", "[report_diff]") {
  auto a = as_json(test::sample_report());
  auto b = a;
  json trust = {{"id", "trust_store"}, {"status", "warn"}, {"findings", json::array()},
                {"facts", {{"anchors", {{"distinct", 144}}}, {"roots_outside_program", json::array()}}}};
  a["checks"].push_back(trust);
  trust["facts"]["anchors"]["distinct"] = 145;
  trust["facts"]["roots_outside_program"].push_back({{"subject", "CN=Corp Inspection CA"}, {"sha256", "ab12"}});
  b["checks"].push_back(trust);
  for (auto& c : b["checks"]) {
    if (c["id"] == "proxy") c["summary"] = "direct";
  }
  b["run"]["options"]["policy"] = "/etc/tlsdoctor/policy.json";
  b["checks"].push_back({{"id", "interception"}, {"status", "fail"}, {"findings", json::array()},
                         {"facts", {{"chain_matches", false}}}});
  a["probes"] = json::array({{{"target", "intranet:443"}, {"label", "default"}, {"failure", "none"}}});
  b["probes"] = json::array({{{"target", "intranet:443"}, {"label", "default"}, {"failure", "cert_untrusted_root"}}});
  const auto diffs = diff_reports(a, b);
  const auto* root = find(diffs, "root", "ab12");
  REQUIRE(root);
  CHECK(root->b == "CN=Corp Inspection CA");
  CHECK(find(diffs, "root", "trusted roots (count)"));
  CHECK(find(diffs, "proxy", "route"));
  CHECK(find(diffs, "policy", "file"));
  const auto* path = find(diffs, "path", "interception chain_matches");
  REQUIRE(path);
  CHECK(path->b == "false");
  const auto* probe = find(diffs, "probe", "intranet:443 [default]");
  REQUIRE(probe);
  CHECK(probe->a == "completed");
  CHECK(probe->b == "cert_untrusted_root");
}

TEST_CASE("report diff: the same finding id for two targets stays two entries", "[report_diff]") {
  json target_check = {{"id", "target"}, {"status", "fail"}, {"findings", json::array()}};
  for (const char* t : {"a.example:443", "b.example:443"}) {
    target_check["findings"].push_back({{"id", "server.cert_expired"}, {"severity", "fail"}, {"title", t},
                                        {"evidence", {{"target", t}}}});
  }
  json a = {{"checks", json::array({target_check})}};
  json b = a;
  b["checks"][0]["findings"].erase(1);  // b.example is fixed
  const auto diffs = diff_reports(a, b);
  REQUIRE(diffs.size() == 1);
  CHECK(diffs[0].item == "server.cert_expired (target) b.example:443");
  CHECK(diffs[0].b.empty());
}
