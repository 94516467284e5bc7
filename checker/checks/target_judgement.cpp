// Maps a target's failure class and follow-up handshakes to one finding, with its layer and fix.
#include "checks/target_judgement.h"

#include <algorithm>

#include <fmt/format.h>
#include <openssl/x509_vfy.h>

#include "checks/clock_skew.h"
#include "core/time_format.h"
#include "pki/certificate.h"
#include "refclient/snapshot_comparison.h"
#include "tls/failure.h"

namespace tlsdoctor::checks {
namespace {

using tls::Failure;

constexpr std::string_view kOperatorFix =
    "This is the site's to fix: tell its operator (the error and this report's evidence are what they need). "
    "Until then, do not work around it by turning off certificate checks.";

std::optional<pki::Certificate> parsed(const std::vector<std::uint8_t>& der) {
  auto cert = pki::parse_certificate(der);
  if (!cert) return std::nullopt;
  return std::move(*cert);
}

std::vector<Evidence> base_evidence(const TargetEvidence& e) {
  std::vector<Evidence> out{{"target", e.target}, {"failure", std::string(tls::to_string(e.main.failure))}};
  if (!e.main.detail.empty()) out.push_back({"detail", e.main.detail});
  if (!e.main.peer_chain.empty()) {
    if (const auto leaf = parsed(e.main.peer_chain.front())) {
      out.push_back({"leaf", leaf->subject});
      out.push_back({"leaf_issuer", leaf->issuer});
      out.push_back({"leaf_valid", rfc3339_utc(leaf->not_before) + " to " + rfc3339_utc(leaf->not_after)});
    }
  }
  return out;
}

Finding make(FindingId id, Severity severity, std::string title, std::vector<Evidence> evidence, std::string fix) {
  return Finding{id, severity, std::move(title), std::move(evidence), std::move(fix)};
}

Finding certificate_time(const TargetEvidence& e) {
  const bool expired = e.main.failure == Failure::CertExpired;
  auto evidence = base_evidence(e);
  if (e.passes_at_trusted_time == true) {
    evidence.push_back({"trusted_time_source", e.trusted_source});
    return make(FindingId::ClockSkew, Severity::Fail,
                fmt::format("{}'s certificate is valid: it fails here only because this machine's clock is wrong",
                            e.target),
                std::move(evidence), std::string(kSetClockFix));
  }
  evidence.push_back({"clock_checked", e.passes_at_trusted_time == false
                                           ? "the certificate fails at trusted time too (" + e.trusted_source + ")"
                                           : "no trusted time could be had: if this machine's clock is wrong, fix that first"});
  // A certificate authority's intermediate out of date while the site's own certificate is fine:
  // the site serves an old intermediate, and the CA publishes the current one.
  const int date_error = expired ? X509_V_ERR_CERT_HAS_EXPIRED : X509_V_ERR_CERT_NOT_YET_VALID;
  const bool leaf_dated = std::any_of(e.main.verify.errors.begin(), e.main.verify.errors.end(),
                                      [&](const auto& err) { return err.code == date_error && err.depth == 0; });
  const bool ca_dated = std::any_of(e.main.verify.errors.begin(), e.main.verify.errors.end(),
                                    [&](const auto& err) { return err.code == date_error && err.depth > 0; });
  const auto id = expired ? FindingId::ServerCertExpired : FindingId::ServerCertNotYetValid;
  if (ca_dated && !leaf_dated) {
    evidence.push_back({"dated_certificate", "an intermediate (certificate authority) certificate, not the site's own"});
    return make(id, Severity::Fail,
                e.target + (expired ? " sends an expired intermediate certificate of its certificate authority"
                                    : " sends an intermediate certificate of its certificate authority that is not "
                                      "valid yet"),
                std::move(evidence),
                "The site must replace the intermediate in its chain file with the one its certificate authority "
                "publishes now (the CA's repository, or ask the CA); tell the site's operator.");
  }
  return make(id, Severity::Fail,
              e.target + (expired ? " presents an expired certificate" : " presents a certificate that is not valid yet"),
              std::move(evidence),
              "The site must install a renewed certificate; tell its operator (if it was renewed and the old one is "
              "still served, the server was not reloaded).");
}

// A certificate in the site's chain that the bad-roots catalog names. Made for interception (a
// state's or a vendor's man-in-the-middle key): the path, whether this machine trusts it or not.
// Distrusted by root programs (its CA was removed for misissuance or failed audits): the CA is at
// fault and the site has to move to another; looked for even when the chain verifies here, as
// OpenSSL does not know browsers' blocklists. Leaked keys are left to the other rules.
std::optional<Finding> catalogued_key(const TargetEvidence& e, const pki::Catalogs& catalogs) {
  for (const auto& der : e.main.peer_chain) {
    const auto cert = parsed(der);
    if (!cert) continue;
    const auto* bad = catalogs.bad_root(*cert);
    if (bad == nullptr || bad->reason == pki::BadRootReason::LeakedKey) continue;
    const bool verifies_here = e.main.failure == Failure::None;
    auto evidence = base_evidence(e);
    evidence.push_back({"catalogued_certificate", cert->subject});
    evidence.push_back({"known_as", bad->name});
    evidence.push_back({"catalog_source", bad->source});
    if (bad->reason == pki::BadRootReason::Interception) {
      return make(FindingId::PathInterception, verifies_here ? Severity::Warn : Severity::Fail,
                  fmt::format("TLS to {} is intercepted with {}, a key made for interception", e.target, bad->name),
                  std::move(evidence),
                  "Something on this network decrypts TLS with a key browsers block: use another network or a VPN, "
                  "and remove the interception root from this machine if it was installed.");
    }
    evidence.push_back({"verifies_here", verifies_here ? "yes (browsers refuse it)" : "no"});
    return make(FindingId::ServerCaDistrusted, Severity::Fail,
                fmt::format("{}'s certificate comes from {}, a certificate authority browsers and trust stores no "
                            "longer trust",
                            e.target, bad->name),
                std::move(evidence),
                "The site must replace its certificate with one from another certificate authority; tell its "
                "operator. If the operator believes the certificate should still be trusted, that is for them to "
                "take up with the CA.");
  }
  return std::nullopt;
}

// Keys public sites use (RSA and DSA from 2048 bits, EC from 224) refused as "too weak": the
// refusal is this machine's raised OpenSSL security level (3 and up), not the site.
std::optional<Finding> seclevel_refusal(const TargetEvidence& e) {
  if (e.main.peer_chain.empty()) return std::nullopt;
  std::string keys;
  for (const auto& der : e.main.peer_chain) {
    const auto cert = parsed(der);
    if (!cert) return std::nullopt;
    const bool finite_field = cert->key_type == pki::KeyType::Rsa || cert->key_type == pki::KeyType::Dsa;
    const bool ordinary = finite_field ? cert->key_bits >= 2048
                                       : cert->key_type != pki::KeyType::Ec || cert->key_bits >= 224;
    if (!ordinary || cert->key_type == pki::KeyType::Unknown) return std::nullopt;
    keys += (keys.empty() ? "" : ", ") + std::string(pki::to_string(cert->key_type)) + "-" + std::to_string(cert->key_bits);
  }
  auto evidence = base_evidence(e);
  evidence.push_back({"keys_in_chain", keys});
  return make(FindingId::LocalSeclevelHigh, Severity::Fail,
              fmt::format("{} is refused only because this machine's OpenSSL security level is raised: its keys "
                          "({}) are what public sites use",
                          e.target, keys),
              std::move(evidence),
              "Lower OpenSSL's security level to the default: `CipherString = DEFAULT:@SECLEVEL=2` in the "
              "system_default section of the OpenSSL configuration (OPENSSL_CONF, else /etc/ssl/openssl.cnf).");
}

// What to say when the certificate authority is the one to act: a revoked certificate, one not
// issued for TLS servers, or one no verifier accepts as issued.
std::string ca_fix(Failure failure) {
  switch (failure) {
    case Failure::CertRevoked:
      return "The certificate authority revoked this certificate: the site needs a new one. Tell its operator; if "
             "they do not know why it was revoked, they should ask the CA.";
    case Failure::CertWrongPurpose:
      return "The certificate was not issued for TLS servers: the site's operator must have the certificate "
             "authority reissue it with the serverAuth usage.";
    default:
      return "If the site serves its chain as the certificate authority delivered it, the CA must reissue it: the "
             "site's operator should contact the CA with this error. Do not work around it by turning off "
             "certificate checks.";
  }
}

// The certificate the chain ends at, as sent (the last one).
Finding untrusted(const TargetEvidence& e, const pki::Catalogs& catalogs) {
  auto evidence = base_evidence(e);
  std::optional<pki::Certificate> top;
  if (!e.main.peer_chain.empty()) top = parsed(e.main.peer_chain.back());
  if (top) {
    evidence.push_back({"chain_top", top->subject});
    evidence.push_back({"chain_top_issuer", top->issuer});
    if (const auto* product = catalogs.interception_product(*top)) {
      evidence.push_back({"product", product->product + " (" + product->vendor + ")"});
      return make(FindingId::PathInterception, Severity::Fail,
                  fmt::format("TLS to {} is intercepted by {}, whose root this machine does not trust", e.target,
                              product->product),
                  std::move(evidence),
                  fmt::format("Turn off HTTPS scanning in {}, or, if your organisation requires the inspection, "
                              "install its root certificate in this machine's trust store.",
                              product->product));
    }
    // The issuer of the top certificate (or the top itself) belongs to the reference root
    // program: the web trusts it and this machine's store lacks it.
    for (const auto& root : catalogs.mozilla_roots.entries) {
      const bool issuer_is_root = (!root.subject_cn.empty() && root.subject_cn == top->issuer_cn &&
                                   root.subject_o == top->issuer_o);
      if (issuer_is_root || catalogs.mozilla_root(*top) != nullptr) {
        const std::string name = catalogs.mozilla_root(*top) ? top->display_name() : root.subject_cn;
        evidence.push_back({"missing_root", name});
        return make(FindingId::TrustRootMissing, Severity::Fail,
                    fmt::format("{} is signed by {}, a root the web trusts and this machine's trust store lacks",
                                e.target, name),
                    std::move(evidence),
                    "Update this machine's root certificates: on Debian or Ubuntu run `sudo apt install --reinstall "
                    "ca-certificates` and `sudo update-ca-certificates`.");
      }
    }
  }
  const bool self_signed = e.main.failure == Failure::CertSelfSigned;
  return make(self_signed ? FindingId::ServerSelfSigned : FindingId::ServerUntrustedRoot, Severity::Fail,
              e.target + (self_signed ? " presents a self-signed certificate"
                                      : " presents a certificate from a root no public trust store holds"),
              std::move(evidence),
              "If this is your organisation's own site, install its root certificate in the trust store; otherwise "
              "the site needs a certificate from a public certificate authority.");
}

// Which pinned versions completed, oldest first ("TLS 1.0").
std::vector<std::string> completed_versions(const TargetEvidence& e) {
  std::vector<std::string> out;
  for (const auto& h : e.versions) {
    if (h.completed && h.server) out.emplace_back(tls::to_string(h.server->version));
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

Finding handshake_cut(const TargetEvidence& e);

Finding no_common_parameters(const TargetEvidence& e) {
  auto evidence = base_evidence(e);
  const auto works = completed_versions(e);
  evidence.push_back({"versions_that_complete_at_security_level_0", works.empty() ? "none" : joined(works)});
  if (works.empty() && e.neutral_sni && e.neutral_sni->completed) return handshake_cut(e);
  if (works.empty()) {
    return make(FindingId::ServerHandshakeFailed, Severity::Fail,
                fmt::format("{} completes no TLS handshake, with any version or cipher this machine can offer",
                            e.target),
                std::move(evidence), std::string(kOperatorFix));
  }
  const bool modern = std::find(works.begin(), works.end(), "TLS 1.2") != works.end() ||
                      std::find(works.begin(), works.end(), "TLS 1.3") != works.end();
  if (!modern) {
    return make(FindingId::ServerProtocolObsolete, Severity::Fail,
                fmt::format("{} speaks only {}, which this machine's TLS policy rightly refuses", e.target,
                            joined(works)),
                std::move(evidence),
                "The site must enable TLS 1.2 or 1.3; tell its operator. Do not lower this machine's policy for it.");
  }
  return make(FindingId::LocalCipherPolicy, Severity::Fail,
              fmt::format("{} works with {} only with ciphers or keys this machine's TLS policy refuses", e.target,
                          joined(works)),
              std::move(evidence),
              "Compare this machine's OpenSSL policy (the protocols check names the file) with what the site "
              "needs: a policy stricter than the default refuses it; the site should also move to modern ciphers.");
}

Finding handshake_cut(const TargetEvidence& e) {
  auto evidence = base_evidence(e);
  if (e.neutral_sni) {
    evidence.push_back({"with_neutral_sni", e.neutral_sni->completed
                                                ? "the handshake completes"
                                                : std::string(tls::to_string(e.neutral_sni->failure))});
    if (e.neutral_sni->completed) {
      return make(FindingId::PathSniFiltered, Severity::Fail,
                  fmt::format("The connection to {} is cut when its name is sent, and works with another name: "
                              "something on the path filters by name",
                              e.target),
                  std::move(evidence),
                  "A firewall, web filter or the network's operator blocks this site by name: ask them (or your IT "
                  "department) whether the block is intended.");
    }
  }
  return make(FindingId::ServerHandshakeFailed, Severity::Fail,
              fmt::format("{} breaks off the TLS handshake ({})", e.target, tls::info(e.main.failure).meaning),
              std::move(evidence),
              "Try again from another network: if it fails there too, the server is at fault (tell its operator); "
              "if not, something on this network interferes.");
}

Finding unreachable(const TargetEvidence& e) {
  return make(FindingId::ServerUnreachable, Severity::Fail,
              fmt::format("{} cannot be reached: {}", e.target, tls::info(e.main.failure).meaning), base_evidence(e),
              "Check the name and port; if they are right, the server is down or a firewall on the path blocks it "
              "(try from another network to tell which).");
}

Finding proxy_failure(const TargetEvidence& e) {
  auto evidence = base_evidence(e);
  switch (e.main.failure) {
    case Failure::ProxyAuthRequired:
      return make(FindingId::ProxyAuthRequired, Severity::Fail,
                  fmt::format("The proxy asks for credentials to reach {}", e.target), std::move(evidence),
                  "Give the proxy your credentials (in the proxy URL or the system's proxy settings), or ask IT "
                  "which account the proxy expects.");
    case Failure::ProxyRefused:
      return make(FindingId::ProxyDenied, Severity::Fail, fmt::format("The proxy refuses to connect to {}", e.target),
                  std::move(evidence),
                  "The proxy's rules block this site or port: ask whoever runs the proxy to allow it.");
    default:
      return make(FindingId::ProxyUnreachable, Severity::Fail,
                  fmt::format("The proxy on the way to {} does not work ({})", e.target,
                              tls::info(e.main.failure).meaning),
                  std::move(evidence), "Check the proxy settings (the proxy check lists every source).");
  }
}

// What the reference saw, for the evidence of every finding about an observed target.
std::string reference_view(const refclient::SnapshotComparison& c) {
  if (!c.recorded_completed) return "its handshake failed too (" + c.recorded_failure + ")";
  if (!c.recorded_failure.empty()) return "its handshake completed, verification failed (" + c.recorded_failure + ")";
  return "a verified handshake, leaf issued by " + c.recorded_issuer;
}

// The rules that need the reference's view; nullopt leaves the judgement to the local rules.
std::optional<Finding> judge_with_reference(const TargetEvidence& e, const refclient::SnapshotComparison& c) {
  const bool reference_verified = c.recorded_completed && c.recorded_failure.empty();
  if (!reference_verified) return std::nullopt;
  auto evidence = base_evidence(e);
  evidence.push_back({"reference_sees", reference_view(c)});
  const auto stage = e.main.failure == Failure::None ? tls::ProbeStage::Done : tls::info(e.main.failure).stage;
  if (c.seen_completed && !c.issuer_matches && (stage == tls::ProbeStage::Done || stage == tls::ProbeStage::Verify)) {
    const bool trusted_here = e.main.failure == Failure::None;
    evidence.push_back({"leaf_issuer_seen_here", c.seen_issuer});
    return make(FindingId::PathInterception, trusted_here ? Severity::Warn : Severity::Fail,
                fmt::format("TLS to {} is intercepted: this machine receives a certificate from {}, the reference one "
                            "from {}",
                            e.target, c.seen_issuer, c.recorded_issuer),
                std::move(evidence),
                trusted_here
                    ? "A product this machine trusts (antivirus web shield, corporate proxy) decrypts this traffic. "
                      "If that is not expected, remove it; if it is, programs with their own trust stores (Java, "
                      "Firefox, Python, Node) need its root too."
                    : "Something between this machine and the site decrypts TLS with a root not trusted here: disable "
                      "its HTTPS scanning, or install its root if your organisation requires the inspection.");
  }
  switch (stage) {
    case tls::ProbeStage::Dns:
      return make(FindingId::PathDnsMismatch, Severity::Fail,
                  fmt::format("{} does not resolve here, while the reference resolves and reaches it", e.target),
                  std::move(evidence),
                  "Check this machine's DNS: /etc/hosts, the resolver in use (a VPN or DNS filter may hide the "
                  "name), then try `getent hosts` with the name.");
    case tls::ProbeStage::Connect:
      return make(FindingId::PathPortBlocked, Severity::Fail,
                  fmt::format("{} cannot be connected to from here, while the reference connects", e.target),
                  std::move(evidence),
                  "A firewall between this machine and the internet blocks this address or port: ask the network's "
                  "operator, or try from another network.");
    case tls::ProbeStage::Handshake:
      if (needs_versions(e.main.failure)) return std::nullopt;  // this machine's policy or the server's
      // Parameters this machine's policy refuses (a 1024-bit DH group) are no sign of the path:
      // the reference's observer is only more lenient.
      if (e.main.failure == Failure::TlsWeakDh) return std::nullopt;
      if (e.neutral_sni && e.neutral_sni->completed) return std::nullopt;  // path.sni_filtered below
      return make(FindingId::PathProtocolBlocked, Severity::Fail,
                  fmt::format("The TLS handshake with {} is cut here, while the reference completes it", e.target),
                  std::move(evidence),
                  "Something on this network interferes with TLS to this site (a firewall, filter or middlebox): "
                  "ask the network's operator, or try from another network.");
    case tls::ProbeStage::Verify:
      if (e.main.failure == Failure::CertUntrustedRoot && c.issuer_matches) {
        return make(FindingId::TrustRootMissing, Severity::Fail,
                    fmt::format("{}'s chain verifies for the reference and not here: this machine's trust store "
                                "lacks its root",
                                e.target),
                    std::move(evidence),
                    "Update this machine's root certificates: on Debian or Ubuntu run `sudo apt install --reinstall "
                    "ca-certificates` and `sudo update-ca-certificates`.");
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

bool needs_trusted_time(tls::Failure failure) {
  return failure == Failure::CertExpired || failure == Failure::CertNotYetValid;
}

bool needs_neutral_sni(tls::Failure failure) { return tls::handshake_interrupted(failure); }

bool needs_versions(tls::Failure failure) {
  return failure == Failure::TlsProtocolVersion || failure == Failure::TlsNoSharedCipher ||
         failure == Failure::TlsAlertInsufficientSecurity ||
         failure == Failure::TlsAlertHandshakeFailure;
}

std::optional<Finding> judge_target(const TargetEvidence& e, const pki::Catalogs& catalogs) {
  std::optional<Finding> out = e.observed ? judge_with_reference(e, refclient::compare_with_snapshot(*e.observed, e.main))
                                          : std::nullopt;
  if (!out) out = judge_locally(e, catalogs);
  if (out && e.observed && std::none_of(out->evidence.begin(), out->evidence.end(),
                                        [](const Evidence& ev) { return ev.key == "reference_sees"; })) {
    out->evidence.push_back(
        {"reference_sees", reference_view(refclient::compare_with_snapshot(*e.observed, e.main))});
  }
  if (out && !e.observe_error.empty()) out->evidence.push_back({"reference_observation", e.observe_error});
  return out;
}

std::optional<Finding> judge_locally(const TargetEvidence& e, const pki::Catalogs& catalogs) {
  const auto failure = e.main.failure;
  if (auto catalogued = catalogued_key(e, catalogs)) return catalogued;
  if (failure == Failure::None && e.main.certificate_requested) {
    // TLS went on without one (the request was optional, or the server enforces it above TLS:
    // nginx answers HTTP 400): worth knowing when a program that presents none fails here.
    return make(FindingId::ServerClientCertRequired, Severity::Warn,
                fmt::format("{} asks for a client certificate; TLS went on without one, but the site may still "
                            "refuse requests that bring none",
                            e.target),
                base_evidence(e),
                "If requests to this site fail, the program must present the client certificate the site's operator "
                "issued (nginx, for one, answers HTTP 400 when it is missing).");
  }
  if (failure == Failure::None) return std::nullopt;
  if (needs_trusted_time(failure)) return certificate_time(e);
  switch (failure) {
    case Failure::CertUntrustedRoot:
    case Failure::CertSelfSigned:
      return untrusted(e, catalogs);
    case Failure::CertIncompleteChain:
      return make(FindingId::ServerIncompleteChain, Severity::Fail,
                  fmt::format("{} does not send the intermediate certificate its chain needs", e.target),
                  base_evidence(e),
                  "The server must send its full chain (leaf and intermediates); browsers often hide this by "
                  "fetching the missing certificate, most other programs do not. Tell the site's operator.");
    case Failure::CertNameMismatch:
      return make(FindingId::ServerNameMismatch, Severity::Fail,
                  fmt::format("{}'s certificate is for another name", e.target), base_evidence(e),
                  "Check the name you connect to; if it is right, the site serves the wrong certificate (a CDN or "
                  "virtual host misconfiguration): tell its operator.");
    case Failure::CertWeakKey:
      if (auto local = seclevel_refusal(e)) return local;
      [[fallthrough]];
    case Failure::CertWeakSignature:
    case Failure::TlsWeakDh:
      return make(FindingId::ServerWeakKey, Severity::Fail,
                  fmt::format("{} uses a key or signature too weak for this machine's TLS policy", e.target),
                  base_evidence(e), std::string(kOperatorFix));
    case Failure::TlsAlertUnrecognizedName:
      return make(FindingId::ServerSniRequired, Severity::Fail,
                  fmt::format("{} does not recognise the name sent in SNI", e.target), base_evidence(e),
                  "The server (or its CDN) has no site for this name: check the name, then tell the site's operator.");
    case Failure::TlsClientCertRequired:
    case Failure::TlsAlertCertificateRequired:
      return make(FindingId::ServerClientCertRequired, Severity::Warn,
                  fmt::format("{} requires a client certificate", e.target), base_evidence(e),
                  "The program that connects must present the client certificate the site's operator issued; "
                  "tlsdoctor cannot present one, so its handshake stops here.");
    default:
      break;
  }
  const auto& stage_info = tls::info(failure);
  if (stage_info.stage == tls::ProbeStage::Proxy) return proxy_failure(e);
  if (stage_info.stage == tls::ProbeStage::Dns || stage_info.stage == tls::ProbeStage::Connect) return unreachable(e);
  if (needs_versions(failure)) return no_common_parameters(e);
  if (needs_neutral_sni(failure)) return handshake_cut(e);
  if (stage_info.stage == tls::ProbeStage::Verify) {
    return make(FindingId::ServerCertInvalid, Severity::Fail,
                fmt::format("{}'s certificate is not acceptable: {}", e.target, stage_info.meaning), base_evidence(e),
                ca_fix(failure));
  }
  return make(FindingId::ServerHandshakeFailed, Severity::Fail,
              fmt::format("The TLS handshake with {} fails: {}", e.target, stage_info.meaning), base_evidence(e),
              std::string(kOperatorFix));
}

}  // namespace tlsdoctor::checks
