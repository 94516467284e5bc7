// Tests the probe engine against every scenario server: the failure class each one must produce, and time bounds for the hostile ones.
#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/deadline.h"
#include "lab/scenario_server.h"
#include "tls/failure.h"
#include "tls/probe.h"
#include "tls/probe_tls.h"
#include "tls/probe_variants.h"

namespace {

using namespace std::chrono_literals;
using tlsdoctor::Deadline;
using tlsdoctor::lab::Behaviour;
using tlsdoctor::lab::kLabHostName;
using tlsdoctor::lab::ScenarioOptions;
using tlsdoctor::lab::ScenarioServer;
using tlsdoctor::tls::Failure;
using tlsdoctor::tls::Handshake;
using tlsdoctor::tls::ProbeSpec;
using tlsdoctor::tls::SniMode;
using tlsdoctor::tls::TlsVersion;

// The probe's handshake deadline in these tests: long enough for a loopback handshake under
// ASan on a loaded box, short enough that the hostile servers that never finish end quickly.
constexpr auto kHandshakeTimeout = 1500ms;
// What a probe may take beyond its own deadline (thread wake-up, cleanup) before it counts as a hang.
constexpr auto kOverrun = 1000ms;
// The bound for probes that must fail fast (reset, alert, garbage, eof): no waiting involved.
constexpr auto kPrompt = 1000ms;
constexpr auto kRecordWait = 3s;

ProbeSpec lab_spec(const ScenarioServer& server) {
  ProbeSpec spec;
  spec.label = "lab";
  spec.host = kLabHostName;
  spec.port = server.port();
  spec.addresses = {server.address()};
  spec.trust = tlsdoctor::tls::TrustSpec::from_anchors({tlsdoctor::lab::lab_pki().root_der()});
  spec.connect_timeout = 2s;
  spec.handshake_timeout = kHandshakeTimeout;
  // Debian builds OpenSSL with security level 2 by default; fix it so the weak scenarios fail
  // the same way on any distribution.
  spec.hello.security_level = 2;
  return spec;
}

struct Case {
  const char* name;
  Behaviour behaviour;
  Failure expected;
  std::chrono::milliseconds bound;  // elapsed time the probe must stay under
  std::function<void(ProbeSpec&)> adjust = [](ProbeSpec&) {};
  ScenarioOptions options = {};
};

Handshake probe(const ScenarioServer& server, const Case& scenario) {
  ProbeSpec spec = lab_spec(server);
  scenario.adjust(spec);
  return tlsdoctor::tls::run_probe(spec, Deadline::after(10s));
}

}  // namespace

TEST_CASE("each scenario server gives its failure class", "[probe_scenarios]") {
  const auto pinned = [](TlsVersion version) {
    return [version](ProbeSpec& spec) { spec = tlsdoctor::tls::pinned_version(spec, version); };
  };
  const auto scenario = GENERATE_REF(values<Case>({
      {"good", Behaviour::Good, Failure::None, kPrompt},
      {"expired", Behaviour::Expired, Failure::CertExpired, kPrompt},
      {"not yet valid", Behaviour::NotYetValid, Failure::CertNotYetValid, kPrompt},
      {"wrong host", Behaviour::WrongHost, Failure::CertNameMismatch, kPrompt},
      {"self-signed", Behaviour::SelfSigned, Failure::CertSelfSigned, kPrompt},
      {"untrusted root", Behaviour::UntrustedRoot, Failure::CertUntrustedRoot, kPrompt},
      {"incomplete chain", Behaviour::IncompleteChain, Failure::CertIncompleteChain, kPrompt},
      // The intermediate comes first and its key signs: the name is checked against it.
      {"reversed chain", Behaviour::ReversedChain, Failure::CertChainOrder, kPrompt},
      {"tls1.0 only, default client", Behaviour::Tls10Only, Failure::TlsProtocolVersion, kPrompt},
      {"tls1.0 only, pinned 1.0", Behaviour::Tls10Only, Failure::None, kPrompt, pinned(TlsVersion::Tls1_0)},
      {"tls1.1 only, default client", Behaviour::Tls11Only, Failure::TlsProtocolVersion, kPrompt},
      {"tls1.1 only, pinned 1.1", Behaviour::Tls11Only, Failure::None, kPrompt, pinned(TlsVersion::Tls1_1)},
      {"tls1.2 only, pinned 1.3", Behaviour::Tls12Only, Failure::TlsProtocolVersion, kPrompt, pinned(TlsVersion::Tls1_3)},
      {"tls1.2 only, pinned 1.2", Behaviour::Tls12Only, Failure::None, kPrompt, pinned(TlsVersion::Tls1_2)},
      {"tls1.3 only, pinned 1.2", Behaviour::Tls13Only, Failure::TlsProtocolVersion, kPrompt, pinned(TlsVersion::Tls1_2)},
      {"tls1.3 only, default client", Behaviour::Tls13Only, Failure::None, kPrompt},
      {"weak dh", Behaviour::WeakDh, Failure::TlsWeakDh, kPrompt},
      {"rsa-1024", Behaviour::Rsa1024, Failure::CertWeakKey, kPrompt},
      {"sni required, no sni", Behaviour::SniRequired, Failure::TlsAlertUnrecognizedName, kPrompt,
       [](ProbeSpec& spec) { spec.sni_mode = SniMode::None; }},
      {"sni required, other name", Behaviour::SniRequired, Failure::TlsAlertUnrecognizedName, kPrompt,
       [](ProbeSpec& spec) {
         spec.sni_mode = SniMode::Name;
         spec.sni_name = "other.tlsdoctor.test";
       }},
      {"sni required, lab name", Behaviour::SniRequired, Failure::None, kPrompt},
      {"cert per sni, name a", Behaviour::CertPerSni, Failure::None, kPrompt,
       [](ProbeSpec& spec) {
         spec.sni_mode = SniMode::Name;
         spec.sni_name = "a.lab.tlsdoctor.test";
       }},
      {"cert per sni, no sni gets the default", Behaviour::CertPerSni, Failure::None, kPrompt,
       [](ProbeSpec& spec) { spec.sni_mode = SniMode::None; }},
      {"client cert required", Behaviour::ClientCertRequired, Failure::TlsClientCertRequired,
       kPrompt + tlsdoctor::tls::kClientCertVerdictWait},
      {"client cert required, tls1.2", Behaviour::ClientCertRequired, Failure::TlsClientCertRequired, kPrompt,
       pinned(TlsVersion::Tls1_2)},
      // hostile
      {"never answers", Behaviour::NeverAnswers, Failure::TlsTimeout, kHandshakeTimeout + kOverrun},
      {"one byte per second", Behaviour::OneBytePerSecond, Failure::TlsTimeout, kHandshakeTimeout + kOverrun},
      {"garbage", Behaviour::Garbage, Failure::TlsNotTls, kPrompt},
      {"reset after hello", Behaviour::ResetAfterHello, Failure::TlsReset, kPrompt},
      {"fatal alert", Behaviour::FatalAlert, Failure::TlsAlertHandshakeFailure, kPrompt},
      {"long chain", Behaviour::LongChain, Failure::CertChainTooLong, kPrompt + kPrompt},
      {"huge certificate", Behaviour::HugeCertificate, Failure::TlsMessageTooLarge, kPrompt + kPrompt},
      {"close mid-handshake", Behaviour::CloseMidHandshake, Failure::TlsEof, kPrompt},
      {"drop large hello, large", Behaviour::DropLargeHello, Failure::TlsTimeout, kHandshakeTimeout + kOverrun,
       [](ProbeSpec& spec) { spec = tlsdoctor::tls::large_hello(spec); }},
      {"drop large hello, small", Behaviour::DropLargeHello, Failure::None, kPrompt},
  }));
  INFO(scenario.name);
  ScenarioOptions options = scenario.options;
  options.behaviour = scenario.behaviour;
  auto server = ScenarioServer::start(options);
  REQUIRE(server.has_value());

  const auto started = std::chrono::steady_clock::now();
  const Handshake handshake = probe(**server, scenario);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  INFO("failure " << tlsdoctor::tls::to_string(handshake.failure) << " (" << handshake.detail << ")");
  CHECK(handshake.failure == scenario.expected);
  CHECK(elapsed < scenario.bound);

  // What the probe says it sent is what the server received.
  REQUIRE((*server)->wait_for_connections(0, kRecordWait));
  const auto record = (*server)->connections().front();
  CHECK(handshake.client_hello_raw == record.client_hello);

  if (!tlsdoctor::lab::is_hostile(scenario.behaviour) && scenario.behaviour != Behaviour::CertPerSni &&
      handshake.completed) {
    CHECK(handshake.peer_chain == (*server)->served_chain());
  }
}

TEST_CASE("a 200-certificate chain is kept only up to the cap", "[probe_scenarios]") {
  ScenarioOptions options;
  options.behaviour = Behaviour::LongChain;
  auto server = ScenarioServer::start(options);
  REQUIRE(server.has_value());
  const Handshake handshake = tlsdoctor::tls::run_probe(lab_spec(**server), Deadline::after(10s));
  CHECK(handshake.peer_chain_truncated);
  CHECK(handshake.peer_chain.size() == tlsdoctor::tls::kMaxPeerChainLength);
  const auto served = (*server)->served_chain();
  CHECK(std::equal(handshake.peer_chain.begin(), handshake.peer_chain.end(), served.begin()));
}

TEST_CASE("the client-certificate server is seen asking for one", "[probe_scenarios]") {
  ScenarioOptions options;
  options.behaviour = Behaviour::ClientCertRequired;
  auto server = ScenarioServer::start(options);
  REQUIRE(server.has_value());
  const Handshake handshake = tlsdoctor::tls::run_probe(lab_spec(**server), Deadline::after(10s));
  CHECK(handshake.certificate_requested);
}

TEST_CASE("the SNI-required server's alert is recorded by name", "[probe_scenarios]") {
  ScenarioOptions options;
  options.behaviour = Behaviour::SniRequired;
  auto server = ScenarioServer::start(options);
  REQUIRE(server.has_value());
  ProbeSpec spec = lab_spec(**server);
  spec.sni_mode = SniMode::None;
  const Handshake handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(10s));
  REQUIRE_FALSE(handshake.alerts.empty());
  const auto& alert = handshake.alerts.back();
  CHECK_FALSE(alert.sent);
  CHECK(alert.fatal);
  CHECK(alert.description == 112);
  CHECK(alert.name == "unrecognized_name");
}

TEST_CASE("many probes against hostile servers end under one overall deadline", "[probe_scenarios]") {
  std::vector<std::unique_ptr<ScenarioServer>> servers;
  std::vector<ProbeSpec> specs;
  for (const Behaviour behaviour : {Behaviour::NeverAnswers, Behaviour::OneBytePerSecond, Behaviour::Good,
                                    Behaviour::ResetAfterHello, Behaviour::Garbage}) {
    ScenarioOptions options;
    options.behaviour = behaviour;
    auto server = ScenarioServer::start(options);
    REQUIRE(server.has_value());
    ProbeSpec spec = lab_spec(**server);
    spec.handshake_timeout = 10s;  // the overall deadline must cut these short
    specs.push_back(spec);
    servers.push_back(std::move(*server));
  }
  const auto started = std::chrono::steady_clock::now();
  const auto results = tlsdoctor::tls::run_probes(specs, Deadline::after(kHandshakeTimeout));
  CHECK(std::chrono::steady_clock::now() - started < kHandshakeTimeout + kOverrun);
  REQUIRE(results.size() == specs.size());
  CHECK(results[0].failure == Failure::TlsTimeout);
  CHECK(results[1].failure == Failure::TlsTimeout);
  CHECK(results[2].failure == Failure::None);
  CHECK(results[3].failure == Failure::TlsReset);
  CHECK(results[4].failure == Failure::TlsNotTls);
}
