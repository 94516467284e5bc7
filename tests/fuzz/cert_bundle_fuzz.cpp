// Fuzz target: trust bundles and CA files: the trust store reader (PEM blocks, DER detection), certificate parsing and the outline walk to the subject.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include <openssl/x509.h>

#include "core/utf8.h"
#include "fuzz_input.h"
#include "pki/certificate.h"
#include "pki/certificate_subject.h"
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

// The system store indexes its bundle by the subject the outline walk finds; where OpenSSL
// decodes the same bytes, both must name the same subject.
void find_subject(std::span<const std::uint8_t> der) {
  const auto subject = tlsdoctor::pki::certificate_subject_der(der);
  if (!subject) return;
  tlsdoctor::fuzz::require(subject->data() >= der.data() && subject->data() + subject->size() <= der.data() + der.size(),
                           "the subject lies inside the certificate");
  auto x509 = tlsdoctor::pki::parse_x509(der);
  if (!x509) return;
  unsigned char* encoded = nullptr;
  const int size = i2d_X509_NAME(X509_get_subject_name(x509->get()), &encoded);
  const bool same = size >= 0 && static_cast<std::size_t>(size) == subject->size() &&
                    std::equal(subject->begin(), subject->end(), encoded);
  OPENSSL_free(encoded);
  tlsdoctor::fuzz::require(same, "the outline's subject is the one OpenSSL decodes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A file as the trust store reader takes it (one DER certificate or PEM text with other
  // blocks and comments between), then each certificate as the trust store check reads it.
  tlsdoctor::platform::TrustSource source;
  tlsdoctor::platform::detail::append_certificates(tlsdoctor::fuzz::as_text(data, size), "bundle.pem", source);
  tlsdoctor::fuzz::require(source.certificates.size() <= tlsdoctor::platform::kMaxCertificatesPerTrustSource,
                           "a source keeps at most its limit of certificates");
  for (const auto& certificate : source.certificates) {
    read_certificate(certificate.der);
    find_subject(certificate.der);
  }
  return 0;
}
