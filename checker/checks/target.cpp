// Runs the target handshakes and their follow-ups, and hands the evidence to the judgement.
#include "checks/target.h"

#include <openssl/x509_vfy.h>

#include <future>

#include <fmt/format.h>

#include "checks/expected_inspection.h"
#include "checks/target_dns.h"
#include "nettime/network_time.h"
#include "platform/hosts_file.h"
#include "pki/chain_verify.h"
#include "refclient/observe_client.h"
#include "tls/handshake_json.h"
#include "tls/probe.h"
#include "tls/probe_variants.h"

namespace tlsdoctor::checks {
namespace {

using Json = nlohmann::ordered_json;

std::string display(const tls::ProbeSpec& spec) {
  return spec.host.find(':') != std::string::npos ? fmt::format("[{}]:{}", spec.host, spec.port)
                                                  : fmt::format("{}:{}", spec.host, spec.port);
}

pki::AnchorSource anchors_of(const tls::TrustSpec& trust) {
  pki::AnchorSource out;
  switch (trust.kind) {
    case tls::TrustSpec::Kind::System: out.kind = pki::AnchorSource::Kind::SystemDefault; break;
    case tls::TrustSpec::Kind::File:
      out.kind = pki::AnchorSource::Kind::File;
      out.file = trust.file;
      break;
    case tls::TrustSpec::Kind::Anchors:
      out.kind = pki::AnchorSource::Kind::Der;
      out.der = trust.anchors;
      break;
  }
  return out;
}

// What the reference is asked to observe: the address --resolve pinned (the reference cannot
// know it otherwise) with the name as SNI, else the name itself.
reference::ObserveRequest observe_request(const tls::ProbeSpec& spec) {
  reference::ObserveRequest request;
  request.host = spec.addresses.empty() ? spec.host : spec.addresses.front();
  request.port = spec.port;
  if (spec.sni_mode == tls::SniMode::Name) {
    request.sni = spec.sni_name;
  } else if (!spec.addresses.empty() && spec.sni_mode == tls::SniMode::Host) {
    request.sni = tls::effective_sni(spec);
  }
  return request;
}

// Where each follow-up's handshakes sit in the batch.
struct FollowUps {
  std::optional<std::size_t> neutral;
  std::vector<std::size_t> versions;
};

Json target_facts(const TargetEvidence& e) {
  Json versions = Json::array();
  for (const auto& h : e.versions) {
    versions.push_back({{"label", h.spec.label},
                        {"failure", h.failure == tls::Failure::None ? Json(nullptr) : Json(tls::to_string(h.failure))}});
  }
  return Json{{"target", e.target},
              {"failure", e.main.failure == tls::Failure::None ? Json(nullptr) : Json(tls::to_string(e.main.failure))},
              {"completed", e.main.completed},
              {"passes_at_trusted_time", e.passes_at_trusted_time ? Json(*e.passes_at_trusted_time) : Json(nullptr)},
              {"neutral_sni", e.neutral_sni ? Json(e.neutral_sni->completed ? "completes"
                                                                           : tls::to_string(e.neutral_sni->failure))
                                            : Json(nullptr)},
              {"versions", std::move(versions)},
              {"reference_observed", e.observed.has_value()},
              {"reference_error", e.observe_error.empty() ? Json(nullptr) : Json(e.observe_error)}};
}

}  // namespace

bool dates_valid_at(const tls::Handshake& handshake, std::chrono::system_clock::time_point at) {
  pki::VerifyRequest request;
  request.anchors = anchors_of(handshake.spec.trust);
  request.at = at;
  request.host = tls::effective_verify_name(handshake.spec);
  request.security_level = 0;
  request.chain = handshake.peer_chain;
  const auto verified = pki::verify_chain(request);
  if (!verified) return false;
  for (const auto& error : verified->errors) {
    if (error.code == X509_V_ERR_CERT_HAS_EXPIRED || error.code == X509_V_ERR_CERT_NOT_YET_VALID) return false;
  }
  return true;
}

CheckResult TargetCheck::run(const Context& ctx) const {
  CheckResult result;
  if (ctx.targets.empty()) {
    result.status = CheckStatus::Skip;
    result.summary = "skipped: no target given";
    result.error = "no target given (tlsdoctor https://host[:port] ...)";
    return result;
  }
  const Deadline deadline = ctx.deadline.sub(kTargetBudget);
  // The reference's observations run beside this machine's own handshakes.
  std::vector<std::future<refclient::Observation>> observations;
  if (ctx.reference) {
    for (std::size_t i = 0; i < ctx.targets.size() && i < kMaxObservedTargets; ++i) {
      observations.push_back(std::async(std::launch::async, [&ctx, &deadline, i] {
        return refclient::observe(*ctx.reference, observe_request(ctx.targets[i]), deadline);
      }));
    }
  }
  const auto main = tls::run_probes(ctx.targets, deadline);

  // Follow-ups for every target at once: they are independent handshakes.
  std::vector<tls::ProbeSpec> extra;
  std::vector<FollowUps> where(main.size());
  bool want_time = false;
  for (std::size_t i = 0; i < main.size(); ++i) {
    const auto failure = main[i].failure;
    want_time = want_time || needs_trusted_time(failure);
    if (needs_neutral_sni(failure)) {
      where[i].neutral = extra.size();
      extra.push_back(tls::with_sni(ctx.targets[i], kNeutralSni));
    }
    if (needs_versions(failure)) {
      for (auto variant : tls::all_version_variants(ctx.targets[i])) {
        variant.hello.security_level = 0;
        where[i].versions.push_back(extra.size());
        extra.push_back(std::move(variant));
      }
    }
  }
  const auto follow_ups = extra.empty() ? std::vector<tls::Handshake>{} : tls::run_probes(extra, deadline);
  std::optional<nettime::NetworkTime> network;
  if (want_time) {
    network = nettime::find_network_time(nettime::TimeSources{ctx.reference, ctx.date_sources, ctx.date_options},
                                         deadline);
  }

  auto catalogs = pki::load_embedded_catalogs();
  if (!catalogs) {
    result.status = CheckStatus::Error;
    result.error = catalogs.error().input + ": " + catalogs.error().message;
    return result;
  }
  // The hosts file, read once: a name it sets never reaches DNS.
  const auto hosts = platform::hosts_entries(ctx.env);
  Json probes = Json::array();
  Json targets = Json::array();
  std::size_t healthy = 0;
  for (std::size_t i = 0; i < main.size(); ++i) {
    TargetEvidence e;
    e.target = display(ctx.targets[i]);
    e.main = main[i];
    if (where[i].neutral) e.neutral_sni = follow_ups[*where[i].neutral];
    for (const auto index : where[i].versions) e.versions.push_back(follow_ups[index]);
    if (i < observations.size()) {
      auto observation = observations[i].get();
      e.observed = std::move(observation.answer);
      e.observe_error = std::move(observation.error);
    } else if (ctx.reference) {
      e.observe_error = fmt::format("not asked: the reference observes at most {} targets per run", kMaxObservedTargets);
    }
    if (needs_trusted_time(e.main.failure) && network && network->time) {
      const auto& t = *network->time;
      const auto trusted_now = t.utc + (std::chrono::system_clock::now() - t.local);
      e.passes_at_trusted_time = dates_valid_at(e.main, trusted_now);
      e.trusted_source = t.source;
    }
    probes.push_back(tls::to_json(e.main));
    if (e.neutral_sni) probes.push_back(tls::to_json(*e.neutral_sni));
    for (const auto& h : e.versions) probes.push_back(tls::to_json(h));
    auto finding = judge_target(e, *catalogs);
    if (finding) {
      apply_expected_inspection(*finding, {e.main.peer_chain, e.main.verify.built_spki_sha256, e.main.verify.ok},
                                ctx.policy.expected_inspection);
    }
    DnsEvidence dns{e.target,
                    ctx.targets[i].host,
                    e.main.dns,
                    std::string(platform::hosts_file_path()),
                    hosts ? platform::hosts_addresses(*hosts, ctx.targets[i].host) : std::vector<std::string>{},
                    e.observed ? std::optional(e.observed->addresses) : std::nullopt,
                    finding.has_value()};
    auto facts = target_facts(e);
    facts["dns"] = {{"source", e.main.dns.source == tls::DnsObservation::Source::Resolver ? "resolver" : "given"},
                    {"addresses", e.main.dns.addresses},
                    {"hosts_file", dns.hosts_file},
                    {"reference_addresses", dns.reference_addresses ? Json(*dns.reference_addresses) : Json(nullptr)}};
    targets.push_back(std::move(facts));
    // A failed lookup here that the reference's succeeded is already the main finding.
    const bool dns_judged = finding && finding->id == FindingId::PathDnsMismatch;
    if (auto dns_finding = dns_judged ? std::nullopt : judge_dns(dns)) result.findings.push_back(std::move(*dns_finding));
    if (finding) {
      result.findings.push_back(std::move(*finding));
    } else {
      ++healthy;
    }
  }
  result.facts["targets"] = std::move(targets);
  result.facts["probes"] = std::move(probes);
  if (network) result.facts["time_sources"] = network->facts;
  if (!hosts) result.facts["hosts_file_error"] = hosts.error().input + ": " + hosts.error().message;
  result.status = status_from_findings(result.findings);
  result.summary = fmt::format("{} of {} target(s) complete a verified handshake", healthy, main.size());
  return result;
}

}  // namespace tlsdoctor::checks
