// Fuzz target: trust bundles and CA files: PEM splitting, DER detection and certificate parsing.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/utf8.h"
#include "fuzz_input.h"
#include "pki/certificate.h"
#include "platform/pem.h"
#include "platform/trust_store.h"

namespace {

void read_certificate(std::span<const std::uint8_t> der) {
  auto cert = tlsdoctor::pki::parse_certificate(der);
  if (!cert) return;
  tlsdoctor::fuzz::require(cert->sha256.size() == 64, "a certificate's fingerprint is 64 hex digits");
  tlsdoctor::fuzz::require(cert->dns_names.size() + cert->ip_addresses.size() <= tlsdoctor::pki::kMaxRecordedAltNames,
                           "recorded names are capped");
  // Reports, probes and the reference's observe answers carry these fields as JSON strings.
  bool utf8 = tlsdoctor::is_valid_utf8(cert->subject) && tlsdoctor::is_valid_utf8(cert->issuer) &&
              tlsdoctor::is_valid_utf8(cert->subject_cn) && tlsdoctor::is_valid_utf8(cert->subject_o) &&
              tlsdoctor::is_valid_utf8(cert->issuer_cn) && tlsdoctor::is_valid_utf8(cert->issuer_o) &&
              tlsdoctor::is_valid_utf8(cert->key_curve) && tlsdoctor::is_valid_utf8(cert->signature_algorithm);
  for (const auto& name : cert->dns_names) utf8 = utf8 && tlsdoctor::is_valid_utf8(name);
  for (const auto& address : cert->ip_addresses) utf8 = utf8 && tlsdoctor::is_valid_utf8(address);
  tlsdoctor::fuzz::require(utf8, "a certificate's text fields are UTF-8");
  (void)cert->display_name();
  if (auto x509 = tlsdoctor::pki::parse_x509(der)) (void)tlsdoctor::pki::spki_fingerprint(x509->get());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tlsdoctor::fuzz::as_text(data, size);
  // A file is one DER certificate or PEM text, as the trust store reader decides.
  if (tlsdoctor::platform::looks_like_der(text)) {
    read_certificate(std::span<const std::uint8_t>(data, size));
    return 0;
  }
  const auto blocks = tlsdoctor::platform::split_pem(text, 2 * tlsdoctor::platform::kMaxCertificatesPerTrustSource);
  for (const auto& block : blocks) {
    tlsdoctor::fuzz::require(block.error.empty() || block.der.empty(), "a damaged block carries no bytes");
    if (block.error.empty() && tlsdoctor::platform::is_certificate_label(block.label)) read_certificate(block.der);
  }
  return 0;
}
