// Tests for checks/expected_inspection.cpp: recognising a policy's inspection and re-judging findings by it.
#include <catch2/catch.hpp>

#include "checks/expected_inspection.h"
#include "lab/scenario_server.h"
#include "pki/certificate.h"

using namespace tlsdoctor;
using namespace tlsdoctor::checks;

namespace {

// The lab's chain as an interceptor would send it: a leaf and the lab intermediate (the root not sent).
struct InspectedChain {
  std::vector<std::vector<std::uint8_t>> sent;
  std::string root_spki;
  std::string intermediate_dn;
  std::string intermediate_spki;

  InspectedChain() {
    const auto& lab_pki = lab::lab_pki();
    lab::CertSpec spec;
    spec.common_name = "intranet.example.com";
    auto leaf = lab::make_leaf(spec, lab_pki.intermediate);
    REQUIRE(leaf);
    sent = {leaf->cert_der(), lab_pki.intermediate.cert_der()};
    root_spki = pki::parse_certificate(lab_pki.root.cert_der())->spki_sha256;
    intermediate_dn = pki::parse_certificate(lab_pki.intermediate.cert_der())->subject;
    intermediate_spki = pki::parse_certificate(lab_pki.intermediate.cert_der())->spki_sha256;
  }
};

policy::ExpectedInspection by_issuer(std::string name) { return {"Contoso gateway", {std::move(name)}, {}}; }

Finding interception() {
  return Finding{FindingId::PathInterception, Severity::Fail, "TLS to intranet.example.com is intercepted",
                 {{"target", "intranet.example.com"}}, "disable it"};
}

std::string evidence(const Finding& f, const std::string& key) {
  for (const auto& e : f.evidence) {
    if (e.key == key) return e.value;
  }
  return "";
}

}  // namespace

TEST_CASE("expected inspection: matched by the issuer's CN or full name, letter case ignored", "[expected_inspection]") {
  const InspectedChain chain;
  const std::vector<policy::ExpectedInspection> cn{by_issuer("TLSDOCTOR LAB INTERMEDIATE")};
  const auto m = match_expected_inspection({chain.sent, {}, true}, cn);
  REQUIRE(m);
  CHECK(m->inspection->name == "Contoso gateway");
  CHECK(m->matched_by == "issuer " + chain.intermediate_dn);
  const std::vector<policy::ExpectedInspection> dn{by_issuer(chain.intermediate_dn)};
  CHECK(match_expected_inspection({chain.sent, {}, true}, dn));
  const std::vector<policy::ExpectedInspection> other{by_issuer("Some Other CA")};
  CHECK_FALSE(match_expected_inspection({chain.sent, {}, true}, other));
}

TEST_CASE("expected inspection: a root's key pin matches only through the chain built here", "[expected_inspection]") {
  const InspectedChain chain;
  const std::vector<policy::ExpectedInspection> pinned{{"Contoso gateway", {}, {chain.root_spki}}};
  // The root is not sent: without the chain verification built, nothing says it is there.
  CHECK_FALSE(match_expected_inspection({chain.sent, {}, false}, pinned));
  const std::vector<std::string> built{"aa", chain.root_spki};
  const auto m = match_expected_inspection({chain.sent, built, true}, pinned);
  REQUIRE(m);
  CHECK(m->matched_by == "key sha256 " + chain.root_spki);
}

TEST_CASE("expected inspection: trusted here, path.interception becomes path.interception_expected (info)",
          "[expected_inspection]") {
  const InspectedChain chain;
  const std::vector<policy::ExpectedInspection> expected{by_issuer("tlsdoctor lab intermediate")};
  auto f = interception();
  apply_expected_inspection(f, {chain.sent, {}, true}, expected);
  CHECK(f.id == FindingId::PathInterceptionExpected);
  CHECK(f.severity == Severity::Info);
  CHECK_THAT(f.title, Catch::Contains("Contoso gateway"));
  CHECK(f.fix.empty());
  CHECK(evidence(f, "observed") == "TLS to intranet.example.com is intercepted");
  CHECK(evidence(f, "target") == "intranet.example.com");
}

TEST_CASE("expected inspection: not trusted here but signed by a pinned key, it is the organisation's root missing",
          "[expected_inspection]") {
  const InspectedChain chain;
  const std::vector<policy::ExpectedInspection> expected{{"Contoso gateway", {}, {chain.intermediate_spki}}};
  for (auto f : {interception(), Finding{FindingId::ServerUntrustedRoot, Severity::Fail, "untrusted", {}, "x"}}) {
    apply_expected_inspection(f, {chain.sent, {}, false}, expected);
    CHECK(f.id == FindingId::TrustRootMissing);
    CHECK(layer_of(f.id) == Layer::Local);
    CHECK(f.severity == Severity::Fail);
    CHECK_THAT(f.fix, Catch::Contains("Install the root of Contoso gateway"));
  }
}

TEST_CASE("expected inspection: not trusted here, a name or an unsigned key proves nothing", "[expected_inspection]") {
  const InspectedChain chain;
  // The name alone: anyone can write it into a certificate.
  auto named = interception();
  apply_expected_inspection(named, {chain.sent, {}, false}, std::vector<policy::ExpectedInspection>{by_issuer("tlsdoctor lab intermediate")});
  CHECK(named.id == FindingId::PathInterception);
  CHECK(named.severity == Severity::Fail);
  CHECK(evidence(named, "claims_to_be") == "Contoso gateway");
  CHECK_THAT(named.fix, Catch::Contains("treat it as an attack"));
  // The pinned key's certificate sent beside a leaf it did not sign.
  lab::CertSpec spec;
  spec.common_name = "intranet.example.com";
  auto stranger = lab::make_leaf(spec, lab::lab_pki().root);
  REQUIRE(stranger);
  const std::vector<std::vector<std::uint8_t>> forged{stranger->cert_der(), lab::lab_pki().intermediate.cert_der()};
  auto pinned = interception();
  apply_expected_inspection(pinned, {forged, {}, false},
                            std::vector<policy::ExpectedInspection>{{"Contoso gateway", {}, {chain.intermediate_spki}}});
  CHECK(pinned.id == FindingId::PathInterception);
  CHECK(evidence(pinned, "claims_to_be") == "Contoso gateway");
}

TEST_CASE("expected inspection: other findings, and chains the policy does not name, are left alone",
          "[expected_inspection]") {
  const InspectedChain chain;
  const std::vector<policy::ExpectedInspection> expected{by_issuer("tlsdoctor lab intermediate")};
  Finding expired{FindingId::ServerCertExpired, Severity::Fail, "expired", {}, "renew"};
  apply_expected_inspection(expired, {chain.sent, {}, true}, expected);
  CHECK(expired.id == FindingId::ServerCertExpired);
  auto f = interception();
  apply_expected_inspection(f, {chain.sent, {}, true}, std::vector<policy::ExpectedInspection>{by_issuer("Nope")});
  CHECK(f.id == FindingId::PathInterception);
  CHECK(f.severity == Severity::Fail);
  apply_expected_inspection(f, {chain.sent, {}, true}, {});
  CHECK(f.id == FindingId::PathInterception);
}

TEST_CASE("expected inspection: a trusted root is named by its subject or its key", "[expected_inspection]") {
  const auto root = pki::parse_certificate(lab::lab_pki().root.cert_der());
  REQUIRE(root);
  const std::vector<policy::ExpectedInspection> by_name{by_issuer("tlsdoctor lab root")};
  CHECK(match_expected_root(*root, by_name));
  const std::vector<policy::ExpectedInspection> by_key{{"Contoso gateway", {}, {root->spki_sha256}}};
  CHECK(match_expected_root(*root, by_key));
  const std::vector<policy::ExpectedInspection> neither{by_issuer("tlsdoctor lab intermediate")};
  CHECK_FALSE(match_expected_root(*root, neither));
}
