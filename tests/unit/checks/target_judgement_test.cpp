// Tests for checker/checks/target_judgement: the untrusted-chain classes and the follow-up rules, on built handshakes.
#include <catch2/catch.hpp>

#include <openssl/x509_vfy.h>

#include "checks/target_judgement.h"
#include "lab/cert_factory.h"
#include "lab/scenario_server.h"
#include "pki/certificate.h"
#include "tls/handshake_json.h"
#include "tls/probe.h"

using namespace tlsdoctor;
using tls::Failure;

namespace {

const pki::Catalogs& catalogs() {
  static const pki::Catalogs c = pki::load_embedded_catalogs().value();
  return c;
}

// A leaf for example.test issued by a root named `cn` / `o`, as the server would send it.
std::vector<std::vector<std::uint8_t>> chain_under(const std::string& cn, const std::string& o) {
  lab::CertSpec root_spec;
  root_spec.common_name = cn;
  root_spec.organization = o;
  auto root = lab::make_root(root_spec);
  REQUIRE(root);
  lab::CertSpec leaf_spec;
  leaf_spec.common_name = "example.test";
  leaf_spec.dns_names = {"example.test"};
  auto leaf = lab::make_leaf(leaf_spec, *root);
  REQUIRE(leaf);
  return {leaf->cert_der()};
}

checks::TargetEvidence failed(Failure failure) {
  checks::TargetEvidence e;
  e.target = "example.test:443";
  e.main.failure = failure;
  return e;
}

tls::Handshake completed_at(tls::TlsVersion version) {
  tls::Handshake h;
  h.completed = true;
  h.server = tls::ServerHelloObservation{};
  h.server->version = version;
  return h;
}

}  // namespace

TEST_CASE("target judgement: a verified handshake has nothing to say", "[target]") {
  CHECK_FALSE(checks::judge_target(failed(Failure::None), catalogs()));
}

TEST_CASE("target judgement: who signed an untrusted chain decides the layer", "[target]") {
  SECTION("an interception product's root: the path") {
    auto e = failed(Failure::CertUntrustedRoot);
    e.main.peer_chain = chain_under("mitmproxy", "mitmproxy");
    const auto f = checks::judge_target(e, catalogs());
    REQUIRE(f);
    CHECK(f->id == FindingId::PathInterception);
    CHECK(f->title.find("intercepted by mitmproxy") != std::string::npos);
  }
  SECTION("a root of the web's root program that this store lacks: this machine") {
    auto e = failed(Failure::CertUntrustedRoot);
    e.main.peer_chain = chain_under("ISRG Root X1", "Internet Security Research Group");
    const auto f = checks::judge_target(e, catalogs());
    REQUIRE(f);
    CHECK(f->id == FindingId::TrustRootMissing);
    CHECK(layer_of(f->id) == Layer::Local);
    CHECK(f->title.find("ISRG Root X1") != std::string::npos);
  }
  SECTION("any other root: the server") {
    auto e = failed(Failure::CertUntrustedRoot);
    e.main.peer_chain = chain_under("Example Private CA", "Example Corp");
    const auto f = checks::judge_target(e, catalogs());
    REQUIRE(f);
    CHECK(f->id == FindingId::ServerUntrustedRoot);
  }
}

TEST_CASE("target judgement: a handshake cut only for the real name is filtered on the path", "[target]") {
  auto e = failed(Failure::TlsReset);
  tls::Handshake neutral;
  neutral.completed = true;
  e.neutral_sni = neutral;
  const auto f = checks::judge_target(e, catalogs());
  REQUIRE(f);
  CHECK(f->id == FindingId::PathSniFiltered);
  SECTION("and cut for the neutral name too, the server's") {
    e.neutral_sni->completed = false;
    e.neutral_sni->failure = Failure::TlsReset;
    CHECK(checks::judge_target(e, catalogs())->id == FindingId::ServerHandshakeFailed);
  }
}

TEST_CASE("target judgement: no common parameters, told apart by the pinned versions", "[target]") {
  auto e = failed(Failure::TlsProtocolVersion);
  SECTION("only old versions complete: the server is obsolete") {
    e.versions = {completed_at(tls::TlsVersion::Tls1_0), completed_at(tls::TlsVersion::Tls1_1)};
    CHECK(checks::judge_target(e, catalogs())->id == FindingId::ServerProtocolObsolete);
  }
  SECTION("TLS 1.2 completes at security level 0: this machine's policy refuses the rest") {
    e.versions = {completed_at(tls::TlsVersion::Tls1_2)};
    CHECK(checks::judge_target(e, catalogs())->id == FindingId::LocalCipherPolicy);
  }
  SECTION("nothing completes") {
    CHECK(checks::judge_target(e, catalogs())->id == FindingId::ServerHandshakeFailed);
  }
}

TEST_CASE("target judgement: proxy failures keep the proxy's ids", "[target]") {
  CHECK(checks::judge_target(failed(Failure::ProxyAuthRequired), catalogs())->id == FindingId::ProxyAuthRequired);
  CHECK(checks::judge_target(failed(Failure::ProxyRefused), catalogs())->id == FindingId::ProxyDenied);
  CHECK(checks::judge_target(failed(Failure::ProxyUnreachable), catalogs())->id == FindingId::ProxyUnreachable);
}

TEST_CASE("target judgement: the certificate's dates against the trusted time", "[target]") {
  auto e = failed(Failure::CertNotYetValid);
  e.passes_at_trusted_time = true;
  e.trusted_source = "HTTP Date of 2 of 2 hosts (median)";
  CHECK(checks::judge_target(e, catalogs())->id == FindingId::ClockSkew);
  e.passes_at_trusted_time = false;
  CHECK(checks::judge_target(e, catalogs())->id == FindingId::ServerCertNotYetValid);
}

namespace {

// A real handshake with a lab server of `behaviour`, trusting the lab root.
tls::Handshake handshake_with(lab::Behaviour behaviour) {
  lab::ScenarioOptions options;
  options.behaviour = behaviour;
  auto server = lab::ScenarioServer::start(options);
  REQUIRE(server);
  tls::ProbeSpec spec;
  spec.label = "default";
  spec.host = lab::kLabHostName;
  spec.port = (*server)->port();
  spec.addresses = {(*server)->address()};
  spec.trust = tls::TrustSpec::from_anchors({lab::lab_pki().root_der()});
  spec.handshake_timeout = std::chrono::milliseconds(1500);
  return tls::run_probe(spec, Deadline::after(std::chrono::seconds(10)));
}

// The reference's observation, as if its default handshake were `h`.
reference::ObserveAnswer observed_as(const tls::Handshake& h) {
  reference::ObserveAnswer answer;
  answer.target = {lab::kLabHostName, 443, std::nullopt};
  answer.probes = nlohmann::json::array({tls::to_json(h)});
  return answer;
}

checks::TargetEvidence seen_here(tls::Handshake h) {
  checks::TargetEvidence e;
  e.target = "lab.tlsdoctor.test:443";
  e.main = std::move(h);
  return e;
}

std::string evidence_of(const Finding& f, const std::string& key) {
  for (const auto& ev : f.evidence) {
    if (ev.key == key) return ev.value;
  }
  return "(absent)";
}

}  // namespace

TEST_CASE("target judgement with the reference: another issuer here than there is interception", "[target]") {
  auto e = seen_here(handshake_with(lab::Behaviour::UntrustedRoot));
  e.observed = observed_as(handshake_with(lab::Behaviour::Good));
  const auto f = checks::judge_target(e, catalogs());
  REQUIRE(f);
  CHECK(f->id == FindingId::PathInterception);
  CHECK(f->severity == Severity::Fail);
  CHECK(evidence_of(*f, "reference_sees").find("a verified handshake") == 0);
}

TEST_CASE("target judgement with the reference: failures only here are the path's", "[target]") {
  const auto good = observed_as(handshake_with(lab::Behaviour::Good));
  SECTION("DNS") {
    auto e = failed(Failure::DnsNxdomain);
    e.observed = good;
    CHECK(checks::judge_target(e, catalogs())->id == FindingId::PathDnsMismatch);
  }
  SECTION("TCP") {
    auto e = failed(Failure::TcpTimeout);
    e.observed = good;
    CHECK(checks::judge_target(e, catalogs())->id == FindingId::PathPortBlocked);
  }
  SECTION("a handshake cut for every name") {
    auto e = failed(Failure::TlsReset);
    e.observed = good;
    CHECK(checks::judge_target(e, catalogs())->id == FindingId::PathProtocolBlocked);
  }
  SECTION("a handshake cut only for the real name stays an SNI filter") {
    auto e = failed(Failure::TlsReset);
    e.observed = good;
    tls::Handshake neutral;
    neutral.completed = true;
    e.neutral_sni = neutral;
    CHECK(checks::judge_target(e, catalogs())->id == FindingId::PathSniFiltered);
  }
}

TEST_CASE("target judgement with the reference: the same failure there is the server's, with its view", "[target]") {
  const auto expired = handshake_with(lab::Behaviour::Expired);
  auto e = seen_here(expired);
  e.observed = observed_as(expired);
  const auto f = checks::judge_target(e, catalogs());
  REQUIRE(f);
  CHECK(f->id == FindingId::ServerCertExpired);
  CHECK(evidence_of(*f, "reference_sees") == "its handshake completed, verification failed (cert_expired)");
}

TEST_CASE("target judgement: a refused observation is in the evidence", "[target]") {
  auto e = failed(Failure::TcpRefused);
  e.observe_error = "forbidden_target: 10.0.0.1 is a private address";
  const auto f = checks::judge_target(e, catalogs());
  REQUIRE(f);
  CHECK(f->id == FindingId::ServerUnreachable);
  CHECK(evidence_of(*f, "reference_observation") == e.observe_error);
}

TEST_CASE("target judgement: a chain through a distrusted certificate authority is the CA's fault, even when it "
          "verifies here", "[target]") {
  pki::Catalogs with_distrust = catalogs();
  const auto intermediate = pki::parse_certificate(lab::lab_pki().intermediate.cert_der());
  REQUIRE(intermediate);
  with_distrust.bad_roots.entries.push_back({pki::BadRootMatch::Sha256, intermediate->sha256,
                                             "Lab Distrusted CA", pki::BadRootReason::Distrusted, "test entry"});
  const auto good = handshake_with(lab::Behaviour::Good);
  REQUIRE(good.failure == Failure::None);
  CHECK_FALSE(checks::judge_target(seen_here(good), catalogs()));
  const auto f = checks::judge_target(seen_here(good), with_distrust);
  REQUIRE(f);
  CHECK(f->id == FindingId::ServerCaDistrusted);
  CHECK(layer_of(f->id) == Layer::Server);
  CHECK_THAT(f->title, Catch::Contains("Lab Distrusted CA"));
  CHECK(evidence_of(*f, "verifies_here") == "yes (browsers refuse it)");
  CHECK_THAT(f->fix, Catch::Contains("another certificate authority"));
  // A leaked key is not a CA's distrust: that entry kind is left to the other rules.
  with_distrust.bad_roots.entries.back().reason = pki::BadRootReason::LeakedKey;
  CHECK_FALSE(checks::judge_target(seen_here(good), with_distrust));
  // A key made for interception is the path's, whoever trusts it.
  with_distrust.bad_roots.entries.back().reason = pki::BadRootReason::Interception;
  const auto intercepted = checks::judge_target(seen_here(good), with_distrust);
  REQUIRE(intercepted);
  CHECK(intercepted->id == FindingId::PathInterception);
  CHECK(intercepted->severity == Severity::Warn);
}

TEST_CASE("target judgement: an expired intermediate sends the site to its CA's current one", "[target]") {
  auto e = failed(Failure::CertExpired);
  e.passes_at_trusted_time = false;
  e.main.verify.errors = {{X509_V_ERR_CERT_HAS_EXPIRED, 1, "certificate has expired"}};
  const auto ca = checks::judge_target(e, catalogs());
  REQUIRE(ca);
  CHECK(ca->id == FindingId::ServerCertExpired);
  CHECK_THAT(ca->title, Catch::Contains("intermediate"));
  CHECK_THAT(ca->fix, Catch::Contains("certificate authority publishes"));
  e.main.verify.errors.push_back({X509_V_ERR_CERT_HAS_EXPIRED, 0, "certificate has expired"});
  const auto leaf = checks::judge_target(e, catalogs());
  REQUIRE(leaf);
  CHECK_THAT(leaf->title, Catch::Contains("presents an expired certificate"));
}

TEST_CASE("target judgement: a revoked or wrongly issued certificate points at the CA", "[target]") {
  const auto revoked = checks::judge_target(failed(Failure::CertRevoked), catalogs());
  REQUIRE(revoked);
  CHECK(revoked->id == FindingId::ServerCertInvalid);
  CHECK_THAT(revoked->fix, Catch::Contains("revoked"));
  const auto purpose = checks::judge_target(failed(Failure::CertWrongPurpose), catalogs());
  REQUIRE(purpose);
  CHECK_THAT(purpose->fix, Catch::Contains("reissue it with the serverAuth usage"));
  const auto invalid = checks::judge_target(failed(Failure::CertInvalid), catalogs());
  REQUIRE(invalid);
  CHECK_THAT(invalid->fix, Catch::Contains("contact the CA"));
}

TEST_CASE("target judgement: ordinary keys refused as weak are this machine's raised security level", "[target]") {
  auto good = handshake_with(lab::Behaviour::Good);
  REQUIRE(good.failure == Failure::None);
  good.failure = Failure::CertWeakKey;  // as a machine at SECLEVEL 3 or more sees the lab's P-256 chain
  const auto f = checks::judge_target(seen_here(good), catalogs());
  REQUIRE(f);
  CHECK(f->id == FindingId::LocalSeclevelHigh);
  CHECK(layer_of(f->id) == Layer::Local);
  auto weak = handshake_with(lab::Behaviour::Rsa1024);
  REQUIRE(weak.failure == Failure::CertWeakKey);
  CHECK(checks::judge_target(seen_here(weak), catalogs())->id == FindingId::ServerWeakKey);
}

TEST_CASE("target judgement: a weak DH group refused here is the server's even when the reference completes",
          "[target]") {
  auto e = seen_here(handshake_with(lab::Behaviour::WeakDh));
  REQUIRE(e.main.failure == Failure::TlsWeakDh);
  e.observed = observed_as(handshake_with(lab::Behaviour::Good));
  const auto f = checks::judge_target(e, catalogs());
  REQUIRE(f);
  CHECK(f->id == FindingId::ServerWeakKey);
}

TEST_CASE("target judgement: a client certificate asked for but not needed for TLS is a warning", "[target]") {
  auto good = handshake_with(lab::Behaviour::Good);
  good.certificate_requested = true;
  const auto f = checks::judge_target(seen_here(good), catalogs());
  REQUIRE(f);
  CHECK(f->id == FindingId::ServerClientCertRequired);
  CHECK(f->severity == Severity::Warn);
}
