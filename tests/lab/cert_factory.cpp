// Builds keys and X.509 certificates with the OpenSSL 3 API for tests, scenarios and benches.
#include "lab/cert_factory.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace tlsdoctor::lab {
namespace {

using pki::BioPtr;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, pki::OpenSslDeleter<X509_EXTENSION, X509_EXTENSION_free>>;

LabError openssl_failure(const std::string& step) {
  std::string reason;
  while (const unsigned long code = ERR_get_error()) {
    if (reason.empty()) {
      char text[256];
      ERR_error_string_n(code, text, sizeof text);
      reason = text;
    }
  }
  return step + (reason.empty() ? "" : ": " + reason);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

tl::expected<void, LabError> add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return tl::unexpected(openssl_failure("extension " + std::string(OBJ_nid2sn(nid)) + "=" + value));
  }
  return {};
}

std::string join(const std::vector<std::string>& parts, const std::string& prefix) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ",";
    out += prefix + part;
  }
  return out;
}

tl::expected<void, LabError> set_serial(X509* cert, const std::optional<std::uint64_t>& wanted) {
  std::uint64_t serial = 0;
  if (wanted) {
    serial = *wanted;
  } else {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof serial) != 1) {
      return tl::unexpected(openssl_failure("random serial"));
    }
    serial = (serial >> 1) | 1;  // positive and never zero
  }
  if (ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial) != 1) {
    return tl::unexpected(openssl_failure("serial"));
  }
  return {};
}

tl::expected<void, LabError> set_subject(X509* cert, const CertSpec& spec) {
  X509_NAME* name = X509_get_subject_name(cert);
  auto add = [&](const char* field, const std::string& value) {
    return value.empty() || X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                                        reinterpret_cast<const unsigned char*>(value.c_str()),
                                                        -1, -1, 0) == 1;
  };
  if (!add("O", spec.organization) || !add("CN", spec.common_name)) {
    return tl::unexpected(openssl_failure("subject name"));
  }
  return {};
}

tl::expected<void, LabError> add_extensions(X509* cert, X509* issuer_cert, const CertSpec& spec,
                                            const EVP_PKEY* key) {
  std::string basic = spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE";
  if (spec.is_ca && spec.path_length) basic += ",pathlen:" + std::to_string(*spec.path_length);
  std::string usage = "critical,digitalSignature";
  if (spec.is_ca) {
    usage += ",keyCertSign,cRLSign";
  } else if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
    usage += ",keyEncipherment";  // RSA key transport in TLS 1.2 and earlier
  }
  std::vector<std::pair<int, std::string>> extensions = {
      {NID_basic_constraints, basic},
      {NID_key_usage, usage},
      {NID_subject_key_identifier, "hash"},
  };
  std::string sans = join(spec.dns_names, "DNS:");
  const std::string ips = join(spec.ip_addresses, "IP:");
  if (!ips.empty()) sans += (sans.empty() ? "" : ",") + ips;
  if (!sans.empty()) extensions.emplace_back(NID_subject_alt_name, sans);
  if (!spec.extended_key_usage.empty()) {
    extensions.emplace_back(NID_ext_key_usage, join(spec.extended_key_usage, ""));
  }
  for (const auto& [nid, value] : extensions) {
    if (auto added = add_extension(cert, issuer_cert, nid, value); !added) return added;
  }
  // After the subject key identifier exists, so a self-signed certificate can name its own.
  return add_extension(cert, issuer_cert != nullptr ? issuer_cert : cert, NID_authority_key_identifier,
                       "keyid:always");
}

}  // namespace

std::vector<std::uint8_t> Credential::cert_der() const {
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert.get(), &der);
  if (length <= 0) return {};
  std::vector<std::uint8_t> out(der, der + length);
  OPENSSL_free(der);
  return out;
}

std::string Credential::cert_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) return {};
  return bio_text(bio.get());
}

std::vector<std::uint8_t> Credential::key_der() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || i2d_PKCS8PrivateKey_bio(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  const std::string bytes = bio_text(bio.get());
  return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

std::string Credential::key_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  return bio_text(bio.get());
}

Credential Credential::clone() const {
  Credential copy;
  if (cert && X509_up_ref(cert.get()) == 1) copy.cert.reset(cert.get());
  if (key && EVP_PKEY_up_ref(key.get()) == 1) copy.key.reset(key.get());
  return copy;
}

tl::expected<EvpPkeyPtr, LabError> generate_key(const KeySpec& spec) {
  EVP_PKEY* key = nullptr;
  switch (spec.algorithm) {
    case KeyAlgorithm::Rsa:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(spec.rsa_bits));
      break;
    case KeyAlgorithm::EcdsaP256: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case KeyAlgorithm::EcdsaP384: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"); break;
  }
  if (key == nullptr) return tl::unexpected(openssl_failure("key generation"));
  return EvpPkeyPtr(key);
}

tl::expected<Credential, LabError> issue(const CertSpec& spec, const Credential* issuer) {
  auto key = generate_key(spec.key);
  if (!key) return tl::unexpected(key.error());
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return tl::unexpected(openssl_failure("new certificate"));
  }
  if (auto ok = set_serial(cert.get(), spec.serial); !ok) return tl::unexpected(ok.error());
  if (auto ok = set_subject(cert.get(), spec); !ok) return tl::unexpected(ok.error());
  X509* issuer_cert = issuer != nullptr ? issuer->cert.get() : nullptr;
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert != nullptr ? issuer_cert : cert.get())) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), std::chrono::system_clock::to_time_t(spec.not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), std::chrono::system_clock::to_time_t(spec.not_after)) == nullptr ||
      X509_set_pubkey(cert.get(), key->get()) != 1) {
    return tl::unexpected(openssl_failure("certificate fields"));
  }
  if (auto ok = add_extensions(cert.get(), issuer_cert, spec, key->get()); !ok) return tl::unexpected(ok.error());
  const EVP_MD* digest = EVP_get_digestbyname(spec.digest.c_str());
  if (digest == nullptr) return tl::unexpected("unknown digest \"" + spec.digest + "\"");
  EVP_PKEY* signer = issuer != nullptr ? issuer->key.get() : key->get();
  if (X509_sign(cert.get(), signer, digest) <= 0) return tl::unexpected(openssl_failure("signing"));
  return Credential{std::move(cert), std::move(*key)};
}

tl::expected<Credential, LabError> make_root(const CertSpec& spec) {
  CertSpec ca = spec;
  ca.is_ca = true;
  return issue(ca, nullptr);
}

tl::expected<Credential, LabError> make_intermediate(const CertSpec& spec, const Credential& issuer) {
  CertSpec ca = spec;
  ca.is_ca = true;
  return issue(ca, &issuer);
}

tl::expected<Credential, LabError> make_leaf(const CertSpec& spec, const Credential& issuer) {
  CertSpec leaf = spec;
  leaf.is_ca = false;
  if (leaf.dns_names.empty() && leaf.ip_addresses.empty() && !leaf.common_name.empty()) {
    leaf.dns_names.push_back(leaf.common_name);
  }
  if (leaf.extended_key_usage.empty()) leaf.extended_key_usage.push_back("serverAuth");
  return issue(leaf, &issuer);
}

std::string pem_bundle(const std::vector<const Credential*>& certificates) {
  std::string out;
  for (const auto* credential : certificates) out += credential->cert_pem();
  return out;
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

tl::expected<void, LabError> write_file(const std::filesystem::path& path, const std::string& content) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return tl::unexpected("cannot create " + path.parent_path().string() + ": " + ec.message());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) return tl::unexpected("cannot write " + path.string());
  return {};
}

tl::expected<void, LabError> write_pem_bundle(const std::filesystem::path& path,
                                              const std::vector<const Credential*>& certificates) {
  return write_file(path, pem_bundle(certificates));
}

}  // namespace tlsdoctor::lab
