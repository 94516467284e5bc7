// Fuzz target: trust bundles and CA files: the trust store reader (PEM blocks, DER detection) and certificate parsing.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/utf8.h"
#include "fuzz_input.h"
#include "pki/certificate.h"
#include "platform/trust_store.h"
#include "trust_source_reader.h"

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
  // A file as the trust store reader takes it (one DER certificate or PEM text with other
  // blocks and comments between), then each certificate as the trust store check reads it.
  tlsdoctor::platform::TrustSource source;
  tlsdoctor::platform::detail::append_certificates(tlsdoctor::fuzz::as_text(data, size), "bundle.pem", source);
  tlsdoctor::fuzz::require(source.certificates.size() <= tlsdoctor::platform::kMaxCertificatesPerTrustSource,
                           "a source keeps at most its limit of certificates");
  for (const auto& certificate : source.certificates) read_certificate(certificate.der);
  return 0;
}
