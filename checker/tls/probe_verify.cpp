// Runs pki::verify_chain for a probe and keeps every complaint plus the one failure class chosen from them.
#include "tls/probe_verify.h"

#include "core/time_format.h"
#include "pki/chain_verify.h"
#include "tls/classify.h"

namespace tlsdoctor::tls {
namespace {

pki::AnchorSource anchors_of(const TrustSpec& trust) {
  pki::AnchorSource source;
  switch (trust.kind) {
    case TrustSpec::Kind::System: source.kind = pki::AnchorSource::Kind::SystemDefault; break;
    case TrustSpec::Kind::File:
      source.kind = pki::AnchorSource::Kind::File;
      source.file = trust.file;
      break;
    case TrustSpec::Kind::Anchors:
      source.kind = pki::AnchorSource::Kind::Der;
      source.der = trust.anchors;
      break;
  }
  return source;
}

std::string describe_trust(const TrustSpec& trust) {
  switch (trust.kind) {
    case TrustSpec::Kind::System: return "system";
    case TrustSpec::Kind::File: return trust.file;
    case TrustSpec::Kind::Anchors:
      return std::to_string(trust.anchors.size()) + (trust.anchors.size() == 1 ? " anchor" : " anchors");
  }
  return "system";
}

}  // namespace

VerifyObservation verify_peer_chain(const ProbeSpec& spec, std::span<X509* const> chain, bool truncated,
                                    int security_level) {
  VerifyObservation out;
  out.trust = describe_trust(spec.trust);
  const auto at = spec.verify_time.value_or(std::chrono::system_clock::now());
  out.verify_time = rfc3339_utc(at);
  out.name = effective_verify_name(spec);
  if (chain.empty()) return out;

  pki::VerifySettings request;
  request.anchors = anchors_of(spec.trust);
  request.at = at;
  request.host = out.name;
  request.security_level = security_level;
  out.performed = true;
  auto verified = pki::verify_chain(chain, request);
  if (!verified) {
    // The anchors could not be loaded (an unreadable --ca-file) or a certificate the server
    // sent does not parse: no verdict on the chain is possible, and calling it valid would be
    // worse than calling it invalid.
    out.ok = false;
    out.failure = Failure::CertInvalid;
    out.errors.push_back(VerifyError{0, 0, verified.error().input + ": " + verified.error().message});
    return out;
  }
  out.ok = verified->ok;
  out.built_spki_sha256 = verified->built_spki_sha256;
  for (const auto& error : verified->errors) out.errors.push_back(VerifyError{error.code, error.depth, error.message});
  out.failure = out.ok ? Failure::None : chain_failure(*verified, chain.size());
  if (truncated) {
    out.ok = false;
    out.failure = Failure::CertChainTooLong;
  }
  return out;
}

}  // namespace tlsdoctor::tls
