// Parses DER certificates with OpenSSL and extracts names, validity, key facts and fingerprints.
#include "pki/certificate.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <memory>

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "core/hex.h"
#include "core/utf8.h"
#include "pki/decoded_certificates.h"
#include "pki/openssl_reason.h"

namespace tlsdoctor::pki {
namespace {

std::string one_line(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || name == nullptr) return {};
  // RFC 2253, but UTF-8 kept as is instead of escaped byte by byte (ESC_MSB).
  const unsigned long flags = XN_FLAG_RFC2253 & ~static_cast<unsigned long>(ASN1_STRFLGS_ESC_MSB);
  X509_NAME_print_ex(bio.get(), name, 0, flags);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  // A name with bytes that are not UTF-8 (a mislabelled string type) keeps them as \xNN, so
  // that reports and the reference's JSON can carry it.
  return size > 0 ? escape_invalid_utf8(std::string_view(data, static_cast<std::size_t>(size))) : std::string();
}

std::string name_entry(const X509_NAME* name, int nid) {
  if (name == nullptr) return {};
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, value);
  if (length < 0) return {};
  std::string out = escape_invalid_utf8(std::string_view(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length)));
  OPENSSL_free(utf8);
  return out;
}

std::chrono::sys_seconds to_sys_seconds(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return {};
  return std::chrono::sys_seconds(std::chrono::seconds(timegm(&tm)));
}

std::string serial_hex(const X509* cert) {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!bn) return {};
  OpenSslStringPtr hex(BN_bn2hex(bn.get()));
  if (!hex) return {};
  std::string out(hex.get());
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void describe_key(X509* cert, Certificate& out) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr) {
    ERR_clear_error();  // an algorithm OpenSSL cannot load is a fact (Unknown), not an error
    return;
  }
  out.key_bits = EVP_PKEY_get_bits(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS: out.key_type = KeyType::Rsa; break;
    case EVP_PKEY_EC: {
      out.key_type = KeyType::Ec;
      char group[80] = {};
      std::size_t length = 0;
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                         &length) == 1) {
        out.key_curve.assign(group, length);
      }
      break;
    }
    case EVP_PKEY_ED25519: out.key_type = KeyType::Ed25519; break;
    case EVP_PKEY_ED448: out.key_type = KeyType::Ed448; break;
    case EVP_PKEY_DSA: out.key_type = KeyType::Dsa; break;
    default: out.key_type = KeyType::Unknown; break;
  }
}

std::string signature_algorithm(const X509* cert) {
  const int nid = X509_get_signature_nid(cert);
  if (nid != NID_undef) return OBJ_nid2ln(nid);
  const X509_ALGOR* algorithm = nullptr;
  X509_get0_signature(nullptr, &algorithm, cert);
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm);
  char text[128] = {};
  OBJ_obj2txt(text, sizeof text, oid, 1);
  return text;
}

// d2i_X509 with the limits applied, through the process's cache of decoded certificates;
// `consumed` is how many bytes the certificate took.
tl::expected<X509Ptr, Error> parse_counting(std::span<const std::uint8_t> der, std::size_t& consumed) {
  auto decoded = decode_certificate(der);
  if (!decoded) return tl::unexpected(decoded.error());
  consumed = decoded->consumed;
  return std::move(decoded->cert);
}

}  // namespace

std::string_view to_string(KeyType type) {
  switch (type) {
    case KeyType::Rsa: return "RSA";
    case KeyType::Ec: return "EC";
    case KeyType::Ed25519: return "Ed25519";
    case KeyType::Ed448: return "Ed448";
    case KeyType::Dsa: return "DSA";
    case KeyType::Unknown: return "unknown";
  }
  return "unknown";
}

std::string Certificate::display_name() const {
  if (!subject_cn.empty()) return subject_cn;
  if (!subject_o.empty()) return subject_o;
  return subject;
}

std::string sha256_hex(std::span<const std::uint8_t> bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    ERR_clear_error();
    return {};
  }
  return encode_hex(std::span<const std::uint8_t>(digest, length));
}

std::string spki_fingerprint(X509* cert) {
  unsigned char* der = nullptr;
  const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  if (length <= 0) return {};
  std::string out = sha256_hex({der, static_cast<std::size_t>(length)});
  OPENSSL_free(der);
  return out;
}

std::string normalize_fingerprint(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ':' || c == ' ') continue;
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!((lower >= '0' && lower <= '9') || (lower >= 'a' && lower <= 'f'))) return {};
    out.push_back(lower);
  }
  return out.size() == 64 ? out : std::string();
}

tl::expected<X509Ptr, Error> parse_x509(std::span<const std::uint8_t> der) {
  std::size_t consumed = 0;
  return parse_counting(der, consumed);
}

namespace {

struct GeneralNamesDeleter {
  void operator()(GENERAL_NAMES* names) const noexcept { GENERAL_NAMES_free(names); }
};

std::string ip_text(const ASN1_OCTET_STRING* ip) {
  const int length = ASN1_STRING_length(ip);
  const unsigned char* bytes = ASN1_STRING_get0_data(ip);
  char buffer[INET6_ADDRSTRLEN] = {};
  if (length == 4 && inet_ntop(AF_INET, bytes, buffer, sizeof buffer) != nullptr) return buffer;
  if (length == 16 && inet_ntop(AF_INET6, bytes, buffer, sizeof buffer) != nullptr) return buffer;
  return "(malformed address)";
}

void describe_alt_names(X509* cert, Certificate& out) {
  std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return;
  const int count = sk_GENERAL_NAME_num(names.get());
  out.alt_names_total = static_cast<std::size_t>(std::max(count, 0));
  for (int i = 0; i < count; ++i) {
    if (out.dns_names.size() + out.ip_addresses.size() >= kMaxRecordedAltNames) break;
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      // IA5String by definition, but OpenSSL hands over whatever bytes the issuer wrote.
      out.dns_names.push_back(escape_invalid_utf8(std::string_view(
          reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)), static_cast<std::size_t>(ASN1_STRING_length(dns)))));
    } else if (name->type == GEN_IPADD) {
      out.ip_addresses.push_back(ip_text(name->d.iPAddress));
    }
  }
}

// Every field but the certificate fingerprint, which callers take from the bytes they have.
Certificate describe_fields(X509* cert) {
  Certificate out;
  const X509_NAME* subject = X509_get_subject_name(cert);
  const X509_NAME* issuer = X509_get_issuer_name(cert);
  out.subject = one_line(subject);
  out.subject_cn = name_entry(subject, NID_commonName);
  out.subject_o = name_entry(subject, NID_organizationName);
  out.issuer = one_line(issuer);
  out.issuer_cn = name_entry(issuer, NID_commonName);
  out.issuer_o = name_entry(issuer, NID_organizationName);
  out.serial = serial_hex(cert);
  out.not_before = to_sys_seconds(X509_get0_notBefore(cert));
  out.not_after = to_sys_seconds(X509_get0_notAfter(cert));
  describe_key(cert, out);
  out.signature_algorithm = signature_algorithm(cert);
  out.is_ca = X509_check_ca(cert) != 0;
  describe_alt_names(cert, out);
  // Names and key identifiers only: verifying every root's own signature would triple the cost
  // of reading a store (about 0.5 ms per root), and a trust anchor's self-signature proves nothing.
  out.self_signed = X509_self_signed(cert, 0) == 1;
  out.spki_sha256 = spki_fingerprint(cert);
  ERR_clear_error();  // X509_self_signed and X509_check_ca may queue errors we have judged
  return out;
}

}  // namespace

Certificate describe(X509* cert) {
  Certificate out = describe_fields(cert);
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert, &der);
  if (length > 0) {
    out.sha256 = sha256_hex({der, static_cast<std::size_t>(length)});
    OPENSSL_free(der);
  }
  return out;
}

tl::expected<Certificate, Error> parse_certificate(std::span<const std::uint8_t> der) {
  std::size_t consumed = 0;
  auto cert = parse_counting(der, consumed);
  if (!cert) return tl::unexpected(cert.error());
  Certificate out = describe_fields(cert->get());
  // Hash the bytes as given: a TRUSTED CERTIFICATE carries trust settings after the
  // certificate, and a BER-encoded root would not re-encode to the same bytes.
  out.sha256 = sha256_hex(der.first(consumed));
  return out;
}

}  // namespace tlsdoctor::pki
