// Verdict rules: which finding is the primary cause when several are present.
#include "diagnosis/verdict.h"

#include <algorithm>
#include <array>

namespace tlsdoctor::diagnosis {
namespace {

// Order in which failing findings are taken as the primary cause. A wrong clock comes first
// because it makes every certificate look invalid, so other trust findings may be its echo;
// then a trust store that cannot work at all; then policy that refuses modern TLS; then the
// proxy, which only matters once the machine itself can handshake. A captive portal comes
// before policy: until someone signs in, it cuts off or answers for every site.
constexpr std::array kCausePriority{
    FindingId::ClockBeforeBuild,      FindingId::ClockSkew,
    FindingId::ClockTimezoneMismatch, FindingId::TrustOverrideBroken,
    FindingId::TrustStoreUnreadable,  FindingId::TrustStoreEmpty,
    FindingId::TrustRootLeakedKey,    FindingId::TrustRootDistrusted,
    FindingId::PathCaptivePortal,     FindingId::LocalProtocolDisabled,
    FindingId::LocalCipherPolicy,
    FindingId::ProxyUnreachable,      FindingId::ProxyPacFailed,
    FindingId::ProxyAuthRequired,     FindingId::TrustLegacyRootTrap,
    FindingId::TrustRootMissing,
};

int priority_of(FindingId id) {
  const auto it = std::find(kCausePriority.begin(), kCausePriority.end(), id);
  return it == kCausePriority.end() ? static_cast<int>(kCausePriority.size())
                                    : static_cast<int>(it - kCausePriority.begin());
}

VerdictLayer verdict_layer(Layer layer) {
  switch (layer) {
    case Layer::Local: return VerdictLayer::Local;
    case Layer::Path: return VerdictLayer::Path;
    case Layer::Server: return VerdictLayer::Server;
    case Layer::Reference: return VerdictLayer::Unknown;  // a missing reference explains nothing
  }
  return VerdictLayer::Unknown;
}

struct Ranked {
  const Finding* finding;
  int severity_rank;  // 0 = fail, 1 = warn
  int priority;
};

// Fail before warn, then by the cause priority above, then in report order.
std::vector<Ranked> rank_problems(const std::vector<CheckResult>& checks) {
  std::vector<Ranked> ranked;
  for (const auto& check : checks) {
    for (const auto& f : check.findings) {
      if (f.severity == Severity::Info) continue;
      ranked.push_back({&f, f.severity == Severity::Fail ? 0 : 1, priority_of(f.id)});
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return a.severity_rank != b.severity_rank ? a.severity_rank < b.severity_rank
                                              : a.priority < b.priority;
  });
  return ranked;
}

}  // namespace

std::string_view to_string(VerdictLayer layer) {
  switch (layer) {
    case VerdictLayer::Local: return "local";
    case VerdictLayer::Path: return "path";
    case VerdictLayer::Server: return "server";
    case VerdictLayer::None: return "none";
    case VerdictLayer::Unknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(Confidence confidence) {
  switch (confidence) {
    case Confidence::Low: return "low";
    case Confidence::Medium: return "medium";
    case Confidence::High: return "high";
  }
  return "low";
}

Verdict diagnose(const std::vector<CheckResult>& checks) {
  Verdict verdict;
  // What the run could not observe: the path needs a reference (live or a snapshot), servers
  // need targets.
  const auto ran = [&](std::string_view id) {
    return std::any_of(checks.begin(), checks.end(), [&](const CheckResult& c) {
      return c.id == id && c.status != CheckStatus::Skip && c.status != CheckStatus::Error;
    });
  };
  const bool had_reference = ran("interception");
  const bool had_targets = ran("target");
  if (!had_reference && !had_targets) {
    verdict.missing_evidence.push_back("no reference and no target: the network path and remote servers were not examined");
  } else if (!had_reference) {
    verdict.missing_evidence.push_back(
        "no reference: a fault on the network path cannot be told apart from one at the server");
  } else if (!had_targets) {
    verdict.missing_evidence.push_back("no target: no remote server was examined");
  }

  const auto errored = std::count_if(checks.begin(), checks.end(), [](const CheckResult& c) {
    return c.status == CheckStatus::Error;
  });
  const auto ranked = rank_problems(checks);
  for (const auto& r : ranked) verdict.contributing.push_back(r.finding->id);

  if (ranked.empty() || ranked.front().severity_rank != 0) {
    // No failure. Errors mean some part of the machine could not be examined.
    if (errored > 0 && errored == static_cast<long>(checks.size())) {
      verdict.layer = VerdictLayer::Unknown;
      verdict.confidence = Confidence::Low;
      verdict.summary = "No check could run, so nothing is known about this machine.";
      return verdict;
    }
    verdict.layer = VerdictLayer::None;
    verdict.confidence = errored > 0 ? Confidence::Low : Confidence::Medium;
    verdict.summary = ranked.empty()
                          ? "This machine's clock, trust store, proxy and TLS settings look healthy."
                          : "Nothing on this machine stops TLS handshakes, but there are warnings.";
    if (errored > 0) {
      verdict.missing_evidence.push_back(std::to_string(errored) + " check(s) could not run");
    }
    return verdict;
  }

  const Finding& primary = *ranked.front().finding;
  verdict.cause = primary.id;
  verdict.contributing.erase(verdict.contributing.begin());
  verdict.layer = verdict_layer(layer_of(primary.id));
  verdict.summary = primary.title;
  verdict.first_step = primary.fix;
  // A local finding is observed directly on this machine; still, with no reference the
  // conclusion cannot rule out a second cause further along the path.
  verdict.confidence = Confidence::Medium;
  if (primary.id == FindingId::ClockBeforeBuild || primary.id == FindingId::TrustOverrideBroken ||
      primary.id == FindingId::LocalProtocolDisabled) {
    verdict.confidence = Confidence::High;  // each breaks every handshake by itself
  }
  return verdict;
}

}  // namespace tlsdoctor::diagnosis
