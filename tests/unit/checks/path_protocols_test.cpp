// Tests for checker/checks/path_protocols.cpp: versions and a large ClientHello to the reference, and what their failures mean.
#include <catch2/catch.hpp>

#include "checks/path_protocols.h"
#include "core/build_info.h"
#include "lab/scenario_server.h"
#include "unit/refclient/lab_reference.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;
using tls::Failure;
using tls::TlsVersion;

namespace {

tls::Handshake outcome(Failure failure, std::optional<TlsVersion> pinned = std::nullopt) {
  tls::Handshake h;
  h.failure = failure;
  h.completed = failure == Failure::None;
  h.spec.hello.min_version = pinned;
  h.spec.hello.max_version = pinned;
  return h;
}

checks::PathProbes all_pass() {
  checks::PathProbes p;
  p.normal = outcome(Failure::None);
  for (const auto v : tls::kMeasuredTlsVersions) p.versions.push_back(outcome(Failure::None, v));
  p.large = outcome(Failure::None);
  return p;
}

const Finding* find(const CheckResult& r, FindingId id) {
  for (const auto& f : r.findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

checks::Context context_with(refclient::ReferenceTarget reference, std::chrono::milliseconds budget) {
  checks::Context ctx{platform::Env::from_process(), build_info(), Deadline::after(budget)};
  ctx.reference = std::move(reference);
  return ctx;
}

}  // namespace

TEST_CASE("path protocols: everything reaching the reference is silent", "[path]") {
  const auto r = checks::judge_path_protocols(all_pass());
  CHECK(r.findings.empty());
  CHECK(r.summary == "4 of 4 TLS versions and a large ClientHello reach the reference");
}

TEST_CASE("path protocols: a version cut on the wire, by how much it matters", "[path]") {
  const std::vector<std::pair<TlsVersion, Severity>> cases{
      {TlsVersion::Tls1_0, Severity::Info}, {TlsVersion::Tls1_1, Severity::Info},
      {TlsVersion::Tls1_2, Severity::Fail}, {TlsVersion::Tls1_3, Severity::Warn}};
  for (const auto& [version, severity] : cases) {
    INFO(tls::to_string(version));
    auto p = all_pass();
    p.versions[static_cast<std::size_t>(version) - 1] = outcome(Failure::TlsReset, version);
    const auto r = checks::judge_path_protocols(p);
    const auto* f = find(r, FindingId::PathProtocolBlocked);
    REQUIRE(f);
    CHECK(f->severity == severity);
  }
}

TEST_CASE("path protocols: refusals that are not the path's say nothing", "[path]") {
  auto p = all_pass();
  p.versions[0] = outcome(Failure::TlsProtocolVersion, TlsVersion::Tls1_0);  // the reference's own answer
  p.versions[1] = outcome(Failure::TlsHandshakeError, TlsVersion::Tls1_1);   // this OpenSSL cannot offer it
  CHECK(checks::judge_path_protocols(p).findings.empty());
  auto closed = all_pass();
  closed.normal = outcome(Failure::TcpRefused);
  closed.large = outcome(Failure::TcpRefused);
  CHECK(checks::judge_path_protocols(closed).findings.empty());
}

TEST_CASE("path protocols: a large ClientHello dropped while a normal one passes", "[path]") {
  auto p = all_pass();
  p.large = outcome(Failure::TlsTimeout);
  const auto r = checks::judge_path_protocols(p);
  const auto* f = find(r, FindingId::PathLargeHelloIntolerance);
  REQUIRE(f);
  CHECK(f->severity == Severity::Fail);
}

TEST_CASE("path protocols run: the lab reference takes every version and a large ClientHello", "[path]") {
  const auto r = checks::PathProtocolsCheck().run(
      context_with(test::lab_reference_target(reference::KeySet{{test::lab_reference_key().public_key()}}), 10s));
  INFO(r.facts.dump());
  CHECK(r.findings.empty());
  CHECK(r.summary == "4 of 4 TLS versions and a large ClientHello reach the reference");
}

TEST_CASE("path protocols run: a middlebox that drops large ClientHellos is found", "[path]") {
  lab::ScenarioOptions options;
  options.behaviour = lab::Behaviour::DropLargeHello;
  auto middlebox = lab::ScenarioServer::start(options);
  REQUIRE(middlebox);
  const std::string host_port = std::string(lab::kLabHostName) + ":" + std::to_string((*middlebox)->port());
  refclient::ReferenceTarget target{"https://" + host_port, {}, std::nullopt, {host_port + ":127.0.0.1"}};
  const auto r = checks::PathProtocolsCheck().run(context_with(target, 3s));
  INFO(r.facts.dump());
  CHECK(find(r, FindingId::PathLargeHelloIntolerance));
}

TEST_CASE("path protocols run: skipped without a reference", "[path]") {
  const checks::Context ctx{platform::Env::from_process(), build_info(), Deadline::after(1s)};
  CHECK(checks::PathProtocolsCheck().run(ctx).status == CheckStatus::Skip);
}
