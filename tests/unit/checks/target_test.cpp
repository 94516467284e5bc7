// Tests for the target check run against the lab's scenario servers: each fault lands in its layer.
#include <catch2/catch.hpp>

#include <algorithm>

#include "checks/target.h"
#include "core/build_info.h"
#include "lab/date_server.h"
#include "lab/loopback_port.h"
#include "lab/scenario_pki.h"
#include "lab/scenario_server.h"
#include "lab/temp_tree.h"
#include "pki/certificate.h"
#include "reference/server/address_policy.h"
#include "reference/server/observe_target.h"
#include "reference/server/reference_server.h"
#include "unit/refclient/lab_reference.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;
using lab::Behaviour;

namespace {

std::unique_ptr<lab::ScenarioServer> serve(Behaviour behaviour) {
  lab::ScenarioOptions options;
  options.behaviour = behaviour;
  auto server = lab::ScenarioServer::start(options);
  INFO((server ? "" : server.error()));
  REQUIRE(server);
  return std::move(*server);
}

// The default handshake to a lab server, trusting the lab root, with short deadlines.
tls::ProbeSpec spec_for(const std::string& address, std::uint16_t port) {
  tls::ProbeSpec spec;
  spec.label = "default";
  spec.host = lab::kLabHostName;
  spec.port = port;
  spec.addresses = {address};
  spec.trust = tls::TrustSpec::from_anchors({lab::lab_pki().root_der()});
  spec.handshake_timeout = 1500ms;
  return spec;
}

checks::Context context(std::vector<tls::ProbeSpec> targets) {
  checks::Context ctx{platform::Env::from_process(), build_info(), Deadline::after(20s)};
  ctx.targets = std::move(targets);
  return ctx;
}

Finding only_finding(const CheckResult& r) {
  INFO(r.facts.dump());
  REQUIRE(r.findings.size() == 1);
  return r.findings.front();
}

// Points the context's time sources at the lab hosts.
void use_time_hosts(checks::Context& ctx, const lab::SkewedTimeHosts& hosts) {
  for (const auto& url : hosts.urls()) ctx.date_sources.push_back({url, std::nullopt});
  ctx.date_options.ca_file = hosts.ca_file;
  ctx.date_options.resolve = hosts.resolve_entries();
}

CheckResult run_against(Behaviour behaviour) {
  const auto server = serve(behaviour);
  return checks::TargetCheck().run(context({spec_for(server->address(), server->port())}));
}

}  // namespace

TEST_CASE("target check: no targets, skipped with the reason", "[target]") {
  const auto r = checks::TargetCheck().run(context({}));
  CHECK(r.status == CheckStatus::Skip);
  CHECK(r.findings.empty());
}

TEST_CASE("target check: a healthy site passes and its handshake is in the facts", "[target]") {
  const auto r = run_against(Behaviour::Good);
  CHECK(r.findings.empty());
  CHECK(r.status == CheckStatus::Pass);
  CHECK(r.summary == "1 of 1 target(s) complete a verified handshake");
  CHECK(r.facts["targets"][0]["completed"] == true);
  CHECK(r.facts["probes"].size() == 1);
}

TEST_CASE("target check: certificate faults are the server's", "[target]") {
  const std::vector<std::pair<Behaviour, FindingId>> cases{
      {Behaviour::WrongHost, FindingId::ServerNameMismatch},
      {Behaviour::IncompleteChain, FindingId::ServerIncompleteChain},
      {Behaviour::SelfSigned, FindingId::ServerSelfSigned},
      {Behaviour::UntrustedRoot, FindingId::ServerUntrustedRoot},
      {Behaviour::Rsa1024, FindingId::ServerWeakKey},
      {Behaviour::Expired, FindingId::ServerCertExpired},
  };
  for (const auto& [behaviour, expected] : cases) {
    INFO(lab::to_string(behaviour));
    const auto f = only_finding(run_against(behaviour));
    CHECK(f.id == expected);
    CHECK(layer_of(f.id) == Layer::Server);
  }
}

TEST_CASE("target check: an expired certificate is checked against the trusted time", "[target]") {
  auto dir = lab::TempTree::create("tlsdoctor-target-");
  REQUIRE(dir);
  const auto server = serve(Behaviour::Expired);
  SECTION("the right time: the certificate really is expired") {
    auto hosts = lab::SkewedTimeHosts::start(0s, (dir->path() / "root.pem").string());
    REQUIRE(hosts);
    auto ctx = context({spec_for(server->address(), server->port())});
    use_time_hosts(ctx, *hosts);
    const auto r = checks::TargetCheck().run(ctx);
    const auto& f = only_finding(r);
    CHECK(f.id == FindingId::ServerCertExpired);
    CHECK(r.facts["targets"][0]["passes_at_trusted_time"] == false);
    CHECK(r.facts.contains("time_sources"));
  }
  SECTION("no trusted time: still the server's, saying the clock was not checked") {
    const auto r = checks::TargetCheck().run(context({spec_for(server->address(), server->port())}));
    const auto& f = only_finding(r);
    CHECK(f.id == FindingId::ServerCertExpired);
    const auto it = std::find_if(f.evidence.begin(), f.evidence.end(), [](const Evidence& e) { return e.key == "clock_checked"; });
    REQUIRE(it != f.evidence.end());
    CHECK(it->value.find("no trusted time") == 0);
  }
}

TEST_CASE("target check: a certificate that is valid at trusted time blames this machine's clock", "[target]") {
  // The lab's not-yet-valid leaf starts in 30 days; time hosts 31 days ahead say that is now.
  auto dir = lab::TempTree::create("tlsdoctor-target-");
  REQUIRE(dir);
  const auto server = serve(Behaviour::NotYetValid);
  auto hosts = lab::SkewedTimeHosts::start(std::chrono::hours(24 * 31), (dir->path() / "root.pem").string());
  REQUIRE(hosts);
  auto ctx = context({spec_for(server->address(), server->port())});
  use_time_hosts(ctx, *hosts);
  const auto r = checks::TargetCheck().run(ctx);
  const auto& f = only_finding(r);
  CHECK(f.id == FindingId::ClockSkew);
  CHECK(layer_of(f.id) == Layer::Local);
  CHECK(f.title.find("fails here only because this machine's clock is wrong") != std::string::npos);
}

TEST_CASE("target check: an untrusted chain the policy expects is this machine's missing root", "[target]") {
  const auto server = serve(Behaviour::UntrustedRoot);
  auto ctx = context({spec_for(server->address(), server->port())});
  // The gateway's intermediate is sent, and its key (pinned) signs the chain.
  const auto intermediate = pki::parse_certificate(server->served_chain().at(1));
  REQUIRE(intermediate);
  ctx.policy.expected_inspection = {{"Contoso gateway", {}, {intermediate->spki_sha256}}};
  const auto f = only_finding(checks::TargetCheck().run(ctx));
  CHECK(f.id == FindingId::TrustRootMissing);
  CHECK(layer_of(f.id) == Layer::Local);
  CHECK_THAT(f.title, Catch::Contains("Contoso gateway"));
}

TEST_CASE("target check: a server that speaks only TLS 1.0 is obsolete, told by pinned versions", "[target]") {
  const auto r = run_against(Behaviour::Tls10Only);
  const auto& f = only_finding(r);
  CHECK(f.id == FindingId::ServerProtocolObsolete);
  CHECK(f.title.find("speaks only TLS 1.0") != std::string::npos);
  CHECK(r.facts["targets"][0]["versions"].size() == 4);
}

TEST_CASE("target check: handshakes cut for every name are the server's, the neutral SNI is tried", "[target]") {
  for (const auto behaviour : {Behaviour::ResetAfterHello, Behaviour::Garbage, Behaviour::FatalAlert}) {
    INFO(lab::to_string(behaviour));
    const auto r = run_against(behaviour);
    const auto& f = only_finding(r);
    CHECK(f.id == FindingId::ServerHandshakeFailed);
    CHECK_FALSE(r.facts["targets"][0]["neutral_sni"].is_null());
  }
}

TEST_CASE("target check: nothing listening is unreachable", "[target]") {
  const auto r = checks::TargetCheck().run(context({spec_for("127.0.0.1", lab::unused_loopback_port())}));
  CHECK(only_finding(r).id == FindingId::ServerUnreachable);
}

TEST_CASE("target check: a client certificate demand is a warning", "[target]") {
  const auto f = only_finding(run_against(Behaviour::ClientCertRequired));
  CHECK(f.id == FindingId::ServerClientCertRequired);
  CHECK(f.severity == Severity::Warn);
}

TEST_CASE("target check: several targets at once, each judged on its own", "[target]") {
  const auto good = serve(Behaviour::Good);
  const auto wrong = serve(Behaviour::WrongHost);
  const auto r = checks::TargetCheck().run(
      context({spec_for(good->address(), good->port()), spec_for(wrong->address(), wrong->port())}));
  CHECK(only_finding(r).id == FindingId::ServerNameMismatch);
  CHECK(r.summary == "1 of 2 target(s) complete a verified handshake");
  CHECK(r.facts["targets"].size() == 2);
}

namespace {

// An in-process reference with observe on, allowed to observe loopback on `target_port` and
// trusting the lab root for its own verification.
struct ObservingReference {
  reference::SigningKey key = reference::SigningKey::generate().value();
  reference::ObserveSettings observing;
  std::unique_ptr<reference::Router> router;
  std::unique_ptr<reference::ReferenceServer> server;

  explicit ObservingReference(std::uint16_t target_port) {
    observing.vetting.addresses.allow.push_back(reference::parse_cidr("127.0.0.0/8").value());
    observing.vetting.ports = {target_port};
    observing.trust = tls::TrustSpec::from_anchors({lab::lab_pki().root_der()});
    router = std::make_unique<reference::Router>(
        key, [this](const reference::ObserveRequest& r) { return reference::observe_target(r, observing); });
    auto started = reference::ReferenceServer::start(test::lab_reference_settings(), *router);
    REQUIRE(started);
    server = std::move(*started);
  }

  refclient::ReferenceTarget target() const {
    const std::string host_port = std::string(lab::kLabHostName) + ":" + std::to_string(server->ports().front());
    return refclient::ReferenceTarget{"https://" + host_port, reference::KeySet{{key.public_key()}}, std::nullopt,
                                      {host_port + ":127.0.0.1"}};
  }
};

}  // namespace

TEST_CASE("target check with a live reference: it observes the target beside this machine", "[target]") {
  SECTION("a healthy site: both verify, nothing to say") {
    const auto site = serve(Behaviour::Good);
    const ObservingReference ref(site->port());
    auto ctx = context({spec_for(site->address(), site->port())});
    ctx.reference = ref.target();
    const auto r = checks::TargetCheck().run(ctx);
    INFO(r.facts.dump());
    CHECK(r.findings.empty());
    CHECK(r.facts["targets"][0]["reference_observed"] == true);
  }
  SECTION("an expired site: the reference sees the same, so it is the server's") {
    const auto site = serve(Behaviour::Expired);
    const ObservingReference ref(site->port());
    auto ctx = context({spec_for(site->address(), site->port())});
    ctx.reference = ref.target();
    const auto r = checks::TargetCheck().run(ctx);
    const auto f = only_finding(r);
    CHECK(f.id == FindingId::ServerCertExpired);
    const auto it = std::find_if(f.evidence.begin(), f.evidence.end(), [](const Evidence& e) { return e.key == "reference_sees"; });
    REQUIRE(it != f.evidence.end());
    CHECK(it->value == "its handshake completed, verification failed (cert_expired)");
  }
  SECTION("a target the reference may not observe: judged here, the refusal in the evidence") {
    const auto site = serve(Behaviour::WrongHost);
    const ObservingReference ref(1);  // allowed port 1 only: the site's port is refused
    auto ctx = context({spec_for(site->address(), site->port())});
    ctx.reference = ref.target();
    const auto r = checks::TargetCheck().run(ctx);
    const auto f = only_finding(r);
    CHECK(f.id == FindingId::ServerNameMismatch);
    CHECK(r.facts["targets"][0]["reference_error"].get<std::string>().find("forbidden_target") == 0);
  }
}

TEST_CASE("target check: a name the hosts file sets is reported, with the facts of its lookup", "[target]") {
  const auto site = serve(Behaviour::Good);
  auto root = lab::TempTree::create("tlsdoctor-target-hosts-");
  REQUIRE(root);
  std::filesystem::create_directories(root->path() / "etc");
  REQUIRE(lab::write_file(root->path() / "etc/hosts", "127.0.0.1 localhost\n"));
  auto ctx = context({spec_for("127.0.0.1", site->port())});
  ctx.env.sysroot = root->path();
  ctx.targets.front().host = "localhost";
  ctx.targets.front().addresses.clear();  // this machine's resolver answers
  ctx.targets.front().sni_mode = tls::SniMode::Name;
  ctx.targets.front().sni_name = lab::kLabHostName;
  const auto r = checks::TargetCheck().run(ctx);
  INFO(r.facts.dump());
  const auto it = std::find_if(r.findings.begin(), r.findings.end(),
                               [](const Finding& f) { return f.id == FindingId::LocalHostsOverride; });
  REQUIRE(it != r.findings.end());
  CHECK(r.facts["targets"][0]["dns"]["hosts_file"] == nlohmann::json::array({"127.0.0.1"}));
  CHECK(r.facts["targets"][0]["dns"]["source"] == "resolver");
}
