// Handshakes with the reference by version and by ClientHello size, and what their failures say about the path.
#include "checks/path_protocols.h"

#include <fmt/format.h>

#include "refclient/reference_endpoint.h"
#include "tls/failure.h"
#include "tls/probe.h"
#include "tls/probe_variants.h"

namespace tlsdoctor::checks {
namespace {

using tls::Failure;

// A failure something between here and the reference causes: the connection cut, stalled or
// answered with something that is not the reference's TLS.
bool cut_on_the_wire(Failure failure) {
  return tls::handshake_interrupted(failure) || failure == Failure::TcpReset || failure == Failure::TcpTimeout;
}

std::string failure_text(const tls::Handshake& h) {
  return h.failure == Failure::None ? "completed" : std::string(tls::to_string(h.failure));
}

nlohmann::ordered_json probe_facts(const tls::Handshake& h) {
  return {{"label", h.spec.label},
          {"completed", h.completed},
          {"failure", h.failure == Failure::None ? nlohmann::ordered_json(nullptr)
                                                 : nlohmann::ordered_json(tls::to_string(h.failure))},
          {"client_hello_bytes", h.client_hello_raw.size()}};
}

}  // namespace

CheckResult judge_path_protocols(const PathProbes& probes) {
  CheckResult result;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  list.push_back(probe_facts(probes.normal));
  for (const auto& v : probes.versions) list.push_back(probe_facts(v));
  list.push_back(probe_facts(probes.large));
  result.facts["probes"] = std::move(list);
  if (!probes.normal.completed) {
    result.summary = "no handshake with the reference (" + failure_text(probes.normal) + "): nothing to compare";
    result.status = CheckStatus::Pass;
    return result;
  }
  if (!probes.large.completed && cut_on_the_wire(probes.large.failure)) {
    result.findings.push_back(Finding{
        FindingId::PathLargeHelloIntolerance, Severity::Fail,
        fmt::format("A ClientHello of {} bytes is dropped on the way to the reference, while a normal one passes",
                    probes.large.client_hello_raw.size()),
        {{"normal_client_hello_bytes", std::to_string(probes.normal.client_hello_raw.size())},
         {"large_client_hello_bytes", std::to_string(probes.large.client_hello_raw.size())},
         {"large_failure", failure_text(probes.large)}},
        "A firewall, VPN or proxy on this network cannot handle a ClientHello that spans two TCP segments, as "
        "current browsers send with post-quantum key exchange: update that device or turn off its TLS inspection. "
        "Until then, Chrome and Edge can be told not to send one (policy PostQuantumKeyAgreementEnabled = false)."});
  }
  for (const auto& h : probes.versions) {
    if (h.completed || !cut_on_the_wire(h.failure) || !h.spec.hello.max_version) continue;
    const auto version = *h.spec.hello.max_version;
    const Severity severity = version == tls::TlsVersion::Tls1_2   ? Severity::Fail
                              : version == tls::TlsVersion::Tls1_3 ? Severity::Warn
                                                                   : Severity::Info;
    result.findings.push_back(Finding{
        FindingId::PathProtocolBlocked, severity,
        fmt::format("{} is blocked on the way to the reference ({}), while other versions pass",
                    tls::to_string(version), failure_text(h)),
        {{"version", std::string(tls::to_string(version))}, {"failure", failure_text(h)}},
        severity == Severity::Info
            ? ""
            : "A firewall or proxy on this network interferes with this TLS version: ask its operator to let it "
              "through (or update the device)."});
  }
  result.status = status_from_findings(result.findings);
  std::size_t passing = 0;
  for (const auto& h : probes.versions) passing += h.completed ? 1 : 0;
  result.summary = fmt::format("{} of {} TLS versions and {} ClientHello reach the reference", passing,
                               probes.versions.size(), probes.large.completed ? "a large" : "no large");
  return result;
}

CheckResult PathProtocolsCheck::run(const Context& ctx) const {
  const auto endpoint = ctx.reference ? refclient::endpoint_of(*ctx.reference) : std::nullopt;
  if (!endpoint) {
    CheckResult result;
    result.status = CheckStatus::Skip;
    result.summary = "skipped: no reference";
    result.error = "no live reference to handshake with (--reference URL --reference-key KEY)";
    return result;
  }
  tls::ProbeSpec base;
  base.label = "default";
  base.host = endpoint->host;
  base.port = endpoint->port;
  base.addresses = endpoint->addresses;
  if (ctx.reference->proxy) base.route = tls::RouteSpec::http_proxy(*ctx.reference->proxy);
  std::vector<tls::ProbeSpec> specs{base};
  for (auto& v : tls::all_version_variants(base)) specs.push_back(std::move(v));
  specs.push_back(tls::large_hello(base));
  auto handshakes = tls::run_probes(specs, ctx.deadline.sub(kPathProbeBudget));
  PathProbes probes;
  probes.normal = std::move(handshakes.front());
  probes.large = std::move(handshakes.back());
  for (std::size_t i = 1; i + 1 < handshakes.size(); ++i) probes.versions.push_back(std::move(handshakes[i]));
  return judge_path_protocols(probes);
}

}  // namespace tlsdoctor::checks
