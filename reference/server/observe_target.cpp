// Runs the reference's observation of one target: vetting, one DNS answer, probes of the vetted address only.
#include "reference/server/observe_target.h"

#include "tls/handshake_json.h"
#include "tls/probe.h"
#include "tls/probe_variants.h"

namespace tlsdoctor::reference {

ObserveAnswer observe_now(const ObserveRequest& target, const std::vector<std::string>& addresses,
                          const tls::TrustSpec& trust, const Deadline& deadline) {
  tls::ProbeSpec base;
  base.label = "default";
  base.host = target.host;
  base.port = target.port;
  base.addresses = addresses;
  if (target.sni) {
    base.sni_mode = tls::SniMode::Name;
    base.sni_name = *target.sni;
  }
  base.trust = trust;
  base.hello.security_level = 0;
  std::vector<tls::ProbeSpec> specs{base};
  for (auto& pinned : tls::all_version_variants(base)) specs.push_back(std::move(pinned));
  const auto handshakes = tls::run_probes(specs, deadline);

  ObserveAnswer answer;
  answer.target = target;
  answer.addresses = addresses;
  for (const auto& handshake : handshakes) {
    // The probe object is built with its keys in display order; the protocol's messages are
    // canonical JSON (sorted keys) anyway, so the plain json type carries it.
    // Text from the target is UTF-8 by now (pki and tls escape it); `replace` keeps one byte that
    // slipped through from ending the whole observation.
    answer.probes.push_back(
        nlohmann::json::parse(tls::to_json(handshake).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    if (answer.addresses.empty()) answer.addresses = handshake.dns.addresses;
    if (answer.dialed.empty() && handshake.address) answer.dialed = *handshake.address;
  }
  if (!addresses.empty()) answer.dialed = addresses.front();
  return answer;
}

tl::expected<ObserveAnswer, ErrorAnswer> observe_target(const ObserveRequest& request, const ObserveSettings& settings,
                                                        tls::AddressLookup lookup) {
  const Deadline deadline = Deadline::after(settings.deadline);
  auto vetted = vet_target(request, settings.vetting, deadline, lookup);
  if (!vetted) {
    const auto& code = vetted.error().code;
    const int status = code == kRefusedForbiddenTarget ? 403 : code == kRefusedUnresolvable ? 422 : 400;
    return tl::unexpected(ErrorAnswer{{}, status, code, vetted.error().message});
  }
  // The vetted address and nothing else: a second lookup could answer differently.
  ObserveAnswer answer = observe_now(request, {vetted->dialed}, settings.trust, deadline);
  answer.addresses = vetted->addresses;
  return answer;
}

}  // namespace tlsdoctor::reference
