// Compares the chain and ClientHello of a signed echo with what this machine saw, and says who is in between.
#include "checks/interception.h"

#include <chrono>

#include <fmt/format.h>

#include "checks/expected_inspection.h"
#include "core/base64.h"
#include "core/time_format.h"
#include "reference/protocol/messages.h"
#include "tls/probe.h"

namespace tlsdoctor::checks {
namespace {

// The most of the run's deadline one echo exchange may use (a few round trips and a handshake).
constexpr std::chrono::seconds kReferenceExchangeBudget{10};

nlohmann::ordered_json exchange_facts(const refclient::ReferenceExchange& exchange) {
  nlohmann::ordered_json j;
  j["url"] = exchange.url;
  j["reachable"] = exchange.reachable;
  j["error"] = exchange.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(exchange.error);
  j["http_status"] = exchange.http_status;
  j["locally_trusted"] = exchange.locally_trusted;
  j["local_verify_error"] = exchange.local_verify_error;
  j["chain_length"] = exchange.peer_chain.size();
  j["key_id"] = exchange.answer ? nlohmann::ordered_json(exchange.answer->key_id) : nlohmann::ordered_json(nullptr);
  j["refused"] = exchange.refused ? nlohmann::ordered_json(std::string(to_string(exchange.refused->problem)) + ": " +
                                                           exchange.refused->detail)
                                  : nlohmann::ordered_json(nullptr);
  return j;
}

Finding interception_finding(const refclient::ReferenceExchange& exchange, const refclient::EchoComparison& c) {
  Finding f;
  f.id = FindingId::PathInterception;
  f.severity = Severity::Fail;
  f.title = c.seen_leaf_issuer.empty()
                ? "Something between this machine and the reference terminates TLS"
                : fmt::format("TLS is intercepted between this machine and the reference (certificate issued by {})",
                              c.seen_leaf_issuer);
  f.evidence = {{"reference", exchange.url},
                {"chain_matches", c.chain_matches ? "yes" : "no"},
                {"client_hello_matches", c.client_hello_matches ? "yes" : "no"},
                {"leaf_issuer_seen", c.seen_leaf_issuer},
                {"leaf_sha256_seen", c.chain_seen_sha256.empty() ? "" : c.chain_seen_sha256.front()},
                {"leaf_sha256_served", c.chain_served_sha256.empty() ? "" : c.chain_served_sha256.front()},
                {"ja3_sent", c.ja3_sent},
                {"ja3_received", c.ja3_received},
                {"ja4_sent", c.ja4_sent},
                {"ja4_received", c.ja4_received},
                {"sni_sent", c.sni_sent},
                {"sni_received", c.sni_received},
                {"interceptor_trusted_here", exchange.locally_trusted ? "yes" : "no"}};
  if (!c.headers_added.empty()) {
    std::string names;
    for (const auto& h : c.headers_added) names += (names.empty() ? "" : ", ") + h;
    f.evidence.push_back({"headers_added_on_the_way", names});
  }
  f.fix = exchange.locally_trusted
              ? "Find the product that issued this certificate (antivirus web shield, corporate proxy): if it is not "
                "expected, remove it; if it is, have it exempt the failing sites or trust their roots."
              : "A product that intercepts TLS is in the path and its root is not trusted here: disable its HTTPS "
                "scanning, or install its root if your organisation requires the inspection.";
  return f;
}

Finding snapshot_finding(const refclient::SnapshotReference& reference, const refclient::SnapshotComparison& c) {
  const auto taken = std::chrono::system_clock::time_point(std::chrono::milliseconds(reference.snapshot.taken_unix_ms));
  Finding f;
  f.id = FindingId::PathInterception;
  f.severity = Severity::Fail;
  f.title = fmt::format("{} presents a certificate from another issuer here ({}) than on the known-good machine",
                        c.target, c.seen_issuer);
  f.evidence = {{"target", c.target},
                {"snapshot", reference.path},
                {"snapshot_taken_on", reference.snapshot.taken_on},
                {"snapshot_taken_at", rfc3339_utc(taken)},
                {"leaf_issuer_recorded", c.recorded_issuer},
                {"leaf_issuer_seen", c.seen_issuer},
                {"leaf_sha256_recorded", c.recorded_leaf_sha256},
                {"leaf_sha256_seen", c.seen_leaf_sha256}};
  f.fix = "Find the product that issued this certificate (antivirus web shield, corporate proxy, security "
          "appliance): if it is not expected, remove it; if it is, have it exempt this site. If the site changed "
          "its certificate authority since the snapshot, take a new snapshot on the known-good machine.";
  return f;
}

}  // namespace

CheckResult judge_snapshot(const refclient::SnapshotReference& reference, const std::vector<tls::Handshake>& seen,
                           std::span<const policy::ExpectedInspection> expected) {
  CheckResult result;
  nlohmann::ordered_json compared = nlohmann::ordered_json::array();
  const auto& observations = reference.snapshot.observations;
  for (std::size_t i = 0; i < observations.size() && i < seen.size(); ++i) {
    const auto c = refclient::compare_with_snapshot(observations[i], seen[i]);
    compared.push_back({{"target", c.target},
                        {"recorded_completed", c.recorded_completed},
                        {"seen_completed", c.seen_completed},
                        {"leaf_matches", c.leaf_matches},
                        {"issuer_matches", c.issuer_matches},
                        {"leaf_issuer_seen", c.seen_issuer}});
    if (refclient::looks_intercepted(c)) {
      auto finding = snapshot_finding(reference, c);
      apply_expected_inspection(finding, {seen[i].peer_chain, seen[i].verify.built_spki_sha256, seen[i].verify.ok},
                                expected);
      result.findings.push_back(std::move(finding));
    }
  }
  result.facts["snapshot"] = {{"path", reference.path},
                              {"taken_on", reference.snapshot.taken_on},
                              {"taken_unix_ms", reference.snapshot.taken_unix_ms},
                              {"targets", std::move(compared)}};
  result.summary = result.findings.empty() ? "every target's certificate comes from the issuer the snapshot recorded"
                                           : "intercepted";
  result.status = status_from_findings(result.findings);
  return result;
}

CheckResult judge_reference_echo(const refclient::ReferenceExchange& exchange,
                                 std::span<const policy::ExpectedInspection> expected) {
  CheckResult result;
  result.facts["exchange"] = exchange_facts(exchange);
  if (!exchange.reachable) {
    result.findings.push_back(Finding{FindingId::ReferenceUnreachable, Severity::Warn,
                                      "The reference could not be reached, so the path could not be compared",
                                      {{"reference", exchange.url}, {"error", exchange.error}},
                                      "Check that the reference URL is right and reachable from this network; a "
                                      "blocked reference is itself a sign of a filtering network."});
    result.summary = "reference unreachable";
  } else if (exchange.refused) {
    const bool replayed = exchange.refused->problem == reference::AnswerProblem::Replayed;
    result.findings.push_back(
        Finding{replayed ? FindingId::ReferenceStale : FindingId::ReferenceBadSignature, Severity::Fail,
                replayed ? "The reference's answer was replayed: it belongs to another request"
                         : "The reference's answer is not signed by a pinned key, so it was not believed",
                {{"reference", exchange.url}, {"problem", std::string(to_string(exchange.refused->problem))},
                 {"detail", exchange.refused->detail}},
                "Something in the path answered in the reference's place, or the pinned key is out of date: "
                "compare --reference-key with the reference's signing.pub."});
    result.summary = "reference answer refused";
  } else if (exchange.answer && exchange.answer->envelope.kind == "error") {
    result.status = CheckStatus::Error;
    result.error = "the reference refused the echo request (HTTP " + std::to_string(exchange.http_status) + ")";
    return result;
  } else if (exchange.answer) {
    auto echo = reference::echo_answer_from_json(exchange.answer->value);
    if (!echo) {
      result.status = CheckStatus::Error;
      result.error = "the reference's echo answer is signed but malformed: " + echo.error().message;
      return result;
    }
    const auto comparison = refclient::compare_echo(exchange, *echo);
    result.facts["chain_matches"] = comparison.chain_matches;
    result.facts["client_hello_matches"] = comparison.client_hello_matches;
    result.facts["leaf_issuer_seen"] = comparison.seen_leaf_issuer;
    result.facts["headers_added"] = comparison.headers_added;
    // SNI as this machine's stack wrote it and as it reached the reference (a path that strips
    // or rewrites it also changes the ClientHello, which is the finding).
    result.facts["sni_sent"] = comparison.sni_sent;
    result.facts["sni_received"] = comparison.sni_received;
    if (!comparison.chain_matches || !comparison.client_hello_matches) {
      auto finding = interception_finding(exchange, comparison);
      apply_expected_inspection(finding, {exchange.peer_chain, exchange.built_spki_sha256, exchange.locally_trusted},
                                expected);
      result.summary = finding.id == FindingId::PathInterceptionExpected ? "inspected, as the policy expects"
                                                                           : "intercepted";
      result.findings.push_back(std::move(finding));
    } else {
      result.summary = "the reference saw exactly what this machine sent and received";
    }
  }
  result.status = status_from_findings(result.findings);
  return result;
}

CheckResult InterceptionCheck::run(const Context& ctx) const {
  if (!ctx.reference && ctx.snapshot) {
    std::vector<tls::ProbeSpec> specs;
    const auto& observations = ctx.snapshot->snapshot.observations;
    for (std::size_t i = 0; i < observations.size(); ++i) {
      specs.push_back(refclient::snapshot_probe_spec(
          observations[i], i < ctx.snapshot->addresses.size() ? ctx.snapshot->addresses[i] : std::vector<std::string>{}));
    }
    return judge_snapshot(*ctx.snapshot, tls::run_probes(specs, ctx.deadline.sub(kReferenceExchangeBudget)),
                          ctx.policy.expected_inspection);
  }
  if (!ctx.reference) {
    CheckResult result;
    result.status = CheckStatus::Skip;
    result.error = "no reference given (--reference URL --reference-key KEY, or --reference-file SNAPSHOT)";
    result.summary = "skipped: no reference";
    return result;
  }
  const auto exchange =
      refclient::fetch(*ctx.reference, "/v1/echo", "echo", ctx.deadline.sub(kReferenceExchangeBudget));
  return judge_reference_echo(exchange, ctx.policy.expected_inspection);
}

}  // namespace tlsdoctor::checks
