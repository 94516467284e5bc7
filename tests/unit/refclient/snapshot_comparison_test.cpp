// A snapshot's record of a lab target against fresh handshakes: the same issuer passes, another issuer is interception.
#include <catch2/catch.hpp>

#include "checks/interception.h"
#include "lab/scenario_pki.h"
#include "lab/scenario_server.h"
#include "reference/server/observe_target.h"
#include "refclient/snapshot_comparison.h"
#include "tls/probe.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<lab::ScenarioServer> serve(lab::Behaviour behaviour) {
  lab::ScenarioOptions options;
  options.behaviour = behaviour;
  auto server = lab::ScenarioServer::start(options);
  REQUIRE(server);
  return std::move(*server);
}

// What `tlsdoctor snapshot` records of a lab server.
reference::ObserveAnswer record(const lab::ScenarioServer& server) {
  const reference::ObserveRequest target{lab::kLabHostName, server.port(), std::nullopt};
  return reference::observe_now(target, {"127.0.0.1"}, tls::TrustSpec::from_anchors({lab::lab_pki().root_der()}),
                                Deadline::after(5s));
}

// This machine's handshake, the way the interception check makes it, sent to `server`.
tls::Handshake see(const reference::ObserveAnswer& recorded, const lab::ScenarioServer& server) {
  auto spec = refclient::snapshot_probe_spec(recorded, {"127.0.0.1"});
  spec.port = server.port();
  return tls::run_probe(spec, Deadline::after(5s));
}

}  // namespace

TEST_CASE("the same server seen again matches its snapshot", "[snapshot_comparison]") {
  const auto good = serve(lab::Behaviour::Good);
  const auto recorded = record(*good);
  const auto comparison = refclient::compare_with_snapshot(recorded, see(recorded, *good));
  CHECK(comparison.recorded_completed);
  CHECK(comparison.seen_completed);
  CHECK(comparison.leaf_matches);
  CHECK(comparison.issuer_matches);
  CHECK_FALSE(refclient::looks_intercepted(comparison));
  CHECK(comparison.target == std::string(lab::kLabHostName) + ":" + std::to_string(good->port()));
}

TEST_CASE("a certificate from another issuer than the snapshot recorded is interception", "[snapshot_comparison]") {
  const auto good = serve(lab::Behaviour::Good);
  const auto other_issuer = serve(lab::Behaviour::UntrustedRoot);
  const auto recorded = record(*good);
  const auto seen = see(recorded, *other_issuer);
  const auto comparison = refclient::compare_with_snapshot(recorded, seen);
  CHECK_FALSE(comparison.leaf_matches);
  CHECK_FALSE(comparison.issuer_matches);
  CHECK(refclient::looks_intercepted(comparison));

  refclient::SnapshotReference reference{"known-good.json", reference::Snapshot{0, "known-good", "test", {recorded}}, {}};
  const auto result = checks::judge_snapshot(reference, {seen});
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].id == FindingId::PathInterception);
  CHECK(result.status == CheckStatus::Fail);
  CHECK(result.facts["snapshot"]["targets"][0]["issuer_matches"] == false);
}

TEST_CASE("a target that fails here but completed in the snapshot is not called interception", "[snapshot_comparison]") {
  const auto good = serve(lab::Behaviour::Good);
  const auto silent = serve(lab::Behaviour::FatalAlert);
  const auto recorded = record(*good);
  const auto comparison = refclient::compare_with_snapshot(recorded, see(recorded, *silent));
  CHECK(comparison.recorded_completed);
  CHECK_FALSE(comparison.seen_completed);
  CHECK_FALSE(refclient::looks_intercepted(comparison));
}

// A snapshot is a file a user hands over: fields of the wrong type are read as absent, where
// nlohmann's value() threw type_error and ended the run with exit 3.
TEST_CASE("a snapshot whose probe fields have the wrong types is read as recording nothing", "[snapshot_comparison]") {
  reference::ObserveAnswer recorded;
  recorded.target = {"example.test", 443, std::nullopt};
  recorded.probes = nlohmann::json::array({1, "text", {{"label", 1}}, {{"label", "default"}, {"completed", "yes"},
                                                                         {"failure", 7}, {"chain", {{{"sha256", 5}}}}}});
  tls::Handshake seen;
  const auto comparison = refclient::compare_with_snapshot(recorded, seen);
  CHECK_FALSE(comparison.recorded_completed);
  CHECK(comparison.recorded_failure.empty());
  CHECK(comparison.recorded_leaf_sha256.empty());
  CHECK_FALSE(refclient::looks_intercepted(comparison));
}
