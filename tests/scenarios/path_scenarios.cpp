// Scenarios whose fault is on the path: a TLS-intercepting proxy (mitmdump), trusted or not, expected by policy or not.
#include "lab/cert_factory.h"
#include "lab/mitm_proxy.h"
#include "scenarios/scenario.h"

namespace tlsdoctor::scenarios {
namespace {

struct MitmSetup {
  bool trusted = false;   // this machine's store holds mitmdump's CA
  bool expected = false;  // a policy names it as expected inspection
};

tl::expected<Staged, std::string> through_mitm(const Workspace& w, MitmSetup setup) {
  auto mitm = lab::MitmProxy::start();
  if (!mitm) return tl::unexpected(mitm.error());
  Staged staged;
  auto& proxy = keep(staged, std::move(*mitm), "mitmdump");
  staged.env["https_proxy"] = proxy.url();
  staged.reference_by_address = true;  // mitmdump resolves names itself
  if (setup.trusted) {
    const auto bundle = w.dir / "trusted.pem";
    if (!lab::write_file(bundle, lab::read_text_file(kSystemBundle) + lab::read_text_file(proxy.ca_certificate()))) {
      return tl::unexpected("cannot write " + bundle.string());
    }
    staged.env["SSL_CERT_FILE"] = bundle.string();
  }
  if (setup.expected) {
    const auto policy = w.dir / "policy.json";
    if (!lab::write_file(policy, R"({"schema": "tlsdoctor.policy/1", "expected_inspection": [)"
                                 R"({"name": "Example Corp inspection", "issuers": ["mitmproxy"]}]})")) {
      return tl::unexpected("cannot write " + policy.string());
    }
    staged.args = {"--policy", policy.string()};
  }
  return staged;
}

}  // namespace

std::vector<Scenario> path_scenarios() {
  return {
      {"mitm-untrusted", "a TLS-intercepting proxy whose CA this machine does not trust",
       {"path", "path.interception", 1}, {"mitmdump"},
       [](const Workspace& w) { return through_mitm(w, {false, false}); }},
      {"mitm-trusted", "a TLS-intercepting proxy whose CA this machine trusts, not declared by any policy",
       {"path", "path.interception", 1}, {"mitmdump"},
       [](const Workspace& w) { return through_mitm(w, {true, false}); }},
      {"healthy-expected-inspection", "corporate inspection, trusted here and declared in the policy",
       {"none", "", 0}, {"mitmdump"}, [](const Workspace& w) { return through_mitm(w, {true, true}); }},
      {"expected-inspection-unproven",
       "inspection the policy names, its root not installed and no pinned key in the chain: still interception",
       {"path", "path.interception", 1}, {"mitmdump"},
       [](const Workspace& w) { return through_mitm(w, {false, true}); }},
  };
}

}  // namespace tlsdoctor::scenarios
