// The lab PKI (made once per process) and the identity each scenario behaviour presents.
#include "lab/scenario_pki.h"

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

namespace tlsdoctor::lab {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

// Far enough from now that no clock skew on a test machine turns them valid.
constexpr auto kExpiredEndedAgo = std::chrono::hours(24 * 30);
constexpr auto kNotYetValidStartsIn = std::chrono::hours(24 * 30);
constexpr auto kShortValidity = std::chrono::hours(24 * 30);
// RSA sizes: WeakDh needs an RSA certificate for DHE-RSA (2048 is not itself weak), Rsa1024 is
// the weak key.
constexpr int kDheRsaBits = 2048;
constexpr int kWeakRsaBits = 1024;
// An OID under 2.25 (a UUID turned into an integer, ITU-T X.667) needs no registration: the
// huge certificate's padding extension, unknown to every client and not critical.
constexpr const char* kPaddingExtensionOid = "2.25.329800735698586629295641978511506172918";
// DER overhead of the padding extension around its payload: SEQUENCE, OID, two OCTET STRING
// headers (a few bytes each for lengths of up to 2^24).
constexpr std::size_t kPaddingExtensionOverhead = 40;

LabError openssl_failure(const std::string& step) {
  std::string reason;
  if (const unsigned long code = ERR_peek_error(); code != 0) {
    const char* text = ERR_reason_error_string(code);
    reason = text != nullptr ? text : "unknown error";
  }
  ERR_clear_error();
  return step + (reason.empty() ? "" : ": " + reason);
}

CertSpec leaf_spec(const std::string& name) {
  CertSpec spec;
  spec.common_name = name;
  spec.organization = "tlsdoctor lab";
  spec.dns_names = {name};
  return spec;
}

CertSpec ca_spec(const std::string& name) {
  CertSpec spec;
  spec.common_name = name;
  spec.organization = "tlsdoctor lab";
  return spec;
}

struct OtherPki {
  Credential root;
  Credential intermediate;
};

tl::expected<LabPki, LabError> make_lab_pki() {
  auto root = make_root(ca_spec("tlsdoctor lab root"));
  if (!root) return tl::unexpected("lab root: " + root.error());
  auto intermediate = make_intermediate(ca_spec("tlsdoctor lab intermediate"), *root);
  if (!intermediate) return tl::unexpected("lab intermediate: " + intermediate.error());
  return LabPki{std::move(*root), std::move(*intermediate)};
}

// A second hierarchy no client of the lab trusts (UntrustedRoot), made once.
tl::expected<const OtherPki*, LabError> other_pki() {
  static std::once_flag once;
  static tl::expected<OtherPki, LabError> pki = tl::unexpected(LabError("not made"));
  std::call_once(once, [] {
    auto root = make_root(ca_spec("tlsdoctor lab other root"));
    if (!root) {
      pki = tl::unexpected("other root: " + root.error());
      return;
    }
    auto intermediate = make_intermediate(ca_spec("tlsdoctor lab other intermediate"), *root);
    if (!intermediate) {
      pki = tl::unexpected("other intermediate: " + intermediate.error());
      return;
    }
    pki = OtherPki{std::move(*root), std::move(*intermediate)};
  });
  if (!pki) return tl::unexpected(pki.error());
  return &*pki;
}

// Identities that take long to make, shared by every server of the process under one lock.
tl::expected<ServedIdentity, LabError> cached(const std::string& key,
                                              const std::function<tl::expected<ServedIdentity, LabError>()>& make) {
  static std::mutex mutex;
  static std::map<std::string, ServedIdentity> made;
  std::lock_guard lock(mutex);
  if (const auto found = made.find(key); found != made.end()) return found->second.clone();
  auto identity = make();
  if (!identity) return identity;
  made.emplace(key, identity->clone());
  return identity;
}

// A leaf signed by the lab intermediate, served with that intermediate.
tl::expected<ServedIdentity, LabError> chained_leaf(const CertSpec& spec) {
  auto pki = lab_pki_or_error();
  if (!pki) return tl::unexpected(pki.error());
  auto leaf = make_leaf(spec, (*pki)->intermediate);
  if (!leaf) return tl::unexpected("leaf " + spec.common_name + ": " + leaf.error());
  ServedIdentity identity;
  identity.certificate = std::move(*leaf);
  identity.chain.push_back((*pki)->intermediate.clone());
  return identity;
}

// leaf, then intermediates from the leaf's issuer up to the lab intermediate: `length` in all.
tl::expected<ServedIdentity, LabError> long_chain(std::size_t length, const std::string& host) {
  auto pki = lab_pki_or_error();
  if (!pki) return tl::unexpected(pki.error());
  std::vector<Credential> issuers;  // lab intermediate first, the leaf's issuer last
  issuers.push_back((*pki)->intermediate.clone());
  while (issuers.size() + 1 < length) {
    // Short names keep every certificate near 400 bytes, so 200 of them stay under OpenSSL's
    // 100 KiB client cap and the chain itself (not the message size) is what a client sees.
    CertSpec spec;
    spec.common_name = "lab chain " + std::to_string(issuers.size());
    auto next = make_intermediate(spec, issuers.back());
    if (!next) return tl::unexpected("chain certificate: " + next.error());
    issuers.push_back(std::move(*next));
  }
  auto leaf = make_leaf(leaf_spec(host), issuers.back());
  if (!leaf) return tl::unexpected("chain leaf: " + leaf.error());
  ServedIdentity identity;
  identity.certificate = std::move(*leaf);
  if (length >= 2) {
    for (auto it = issuers.rbegin(); it != issuers.rend(); ++it) identity.chain.push_back(it->clone());
  }
  return identity;
}

// The lab leaf with an unknown, non-critical extension of padding, re-signed by its issuer.
tl::expected<ServedIdentity, LabError> huge_leaf(std::size_t bytes, const std::string& host) {
  auto identity = chained_leaf(leaf_spec(host));
  if (!identity) return identity;
  X509* cert = identity->certificate.cert.get();
  const std::size_t base = identity->certificate.cert_der().size();
  const std::size_t padding = bytes > base + kPaddingExtensionOverhead ? bytes - base - kPaddingExtensionOverhead : 1;

  // extnValue holds the DER of an OCTET STRING of zeros, so the extension is well-formed.
  using OctetPtr = std::unique_ptr<ASN1_OCTET_STRING, pki::OpenSslDeleter<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>>;
  using ObjectPtr = std::unique_ptr<ASN1_OBJECT, pki::OpenSslDeleter<ASN1_OBJECT, ASN1_OBJECT_free>>;
  using ExtensionPtr = std::unique_ptr<X509_EXTENSION, pki::OpenSslDeleter<X509_EXTENSION, X509_EXTENSION_free>>;
  const std::vector<unsigned char> zeros(padding, 0);
  OctetPtr inner(ASN1_OCTET_STRING_new());
  if (!inner || ASN1_OCTET_STRING_set(inner.get(), zeros.data(), static_cast<int>(zeros.size())) != 1) {
    return tl::unexpected(openssl_failure("padding payload"));
  }
  unsigned char* inner_der = nullptr;
  const int inner_length = i2d_ASN1_OCTET_STRING(inner.get(), &inner_der);
  if (inner_length <= 0) return tl::unexpected(openssl_failure("padding encoding"));
  OctetPtr value(ASN1_OCTET_STRING_new());
  const int set = value ? ASN1_OCTET_STRING_set(value.get(), inner_der, inner_length) : 0;
  OPENSSL_free(inner_der);
  ObjectPtr oid(OBJ_txt2obj(kPaddingExtensionOid, 1));
  if (set != 1 || !oid) return tl::unexpected(openssl_failure("padding extension"));
  ExtensionPtr extension(X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 0, value.get()));
  auto pki = lab_pki_or_error();
  if (!pki) return tl::unexpected(pki.error());
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1 ||
      X509_sign(cert, (*pki)->intermediate.key.get(), EVP_sha256()) <= 0) {
    return tl::unexpected(openssl_failure("signing the huge certificate"));
  }
  return identity;
}

tl::expected<ServedIdentity, LabError> rsa_leaf(int bits, const std::string& host) {
  return cached("rsa" + std::to_string(bits) + ":" + host, [&] {
    CertSpec spec = leaf_spec(host);
    spec.key = KeySpec::rsa(bits);
    return chained_leaf(spec);
  });
}

tl::expected<ServedIdentity, LabError> self_signed_leaf(const std::string& host) {
  CertSpec spec = leaf_spec(host);
  spec.extended_key_usage = {"serverAuth"};
  auto leaf = issue(spec, nullptr);
  if (!leaf) return tl::unexpected("self-signed leaf: " + leaf.error());
  ServedIdentity identity;
  identity.certificate = std::move(*leaf);
  return identity;
}

tl::expected<ServedIdentity, LabError> untrusted_leaf(const std::string& host) {
  auto other = other_pki();
  if (!other) return tl::unexpected(other.error());
  auto leaf = make_leaf(leaf_spec(host), (*other)->intermediate);
  if (!leaf) return tl::unexpected("untrusted leaf: " + leaf.error());
  ServedIdentity identity;
  identity.certificate = std::move(*leaf);
  identity.chain.push_back((*other)->intermediate.clone());
  return identity;
}

}  // namespace

std::vector<std::uint8_t> LabPki::root_der() const { return root.cert_der(); }

tl::expected<const LabPki*, LabError> lab_pki_or_error() {
  static std::once_flag once;
  static tl::expected<LabPki, LabError> pki = tl::unexpected(LabError("not made"));
  std::call_once(once, [] { pki = make_lab_pki(); });
  if (!pki) return tl::unexpected(pki.error());
  return &*pki;
}

const LabPki& lab_pki() {
  auto pki = lab_pki_or_error();
  // Generating two P-256 keys does not fail on a working OpenSSL; a test cannot go on without them.
  if (!pki) throw std::runtime_error("lab PKI: " + pki.error());
  return **pki;
}

std::vector<std::vector<std::uint8_t>> ServedIdentity::wire_der() const {
  std::vector<std::vector<std::uint8_t>> out;
  if (empty()) return out;
  out.push_back(certificate.cert_der());
  for (const auto& next : chain) out.push_back(next.cert_der());
  return out;
}

ServedIdentity ServedIdentity::clone() const {
  ServedIdentity copy;
  copy.certificate = certificate.clone();
  for (const auto& next : chain) copy.chain.push_back(next.clone());
  return copy;
}

tl::expected<ServedIdentity, LabError> identity_for_name(const std::string& name) {
  return chained_leaf(leaf_spec(name));
}

tl::expected<ServedIdentity, LabError> lab_client_credential() {
  return cached("client", [] {
    CertSpec spec = leaf_spec(kLabClientName);
    spec.extended_key_usage = {"clientAuth"};
    return chained_leaf(spec);
  });
}

tl::expected<ServedIdentity, LabError> default_identity(const ScenarioOptions& options) {
  const std::string& host = options.host_name;
  const auto now = Clock::now();
  switch (options.behaviour) {
    case Behaviour::NeverAnswers:
    case Behaviour::Garbage:
    case Behaviour::ResetAfterHello:
    case Behaviour::FatalAlert:
      return ServedIdentity{};
    case Behaviour::Expired: {
      CertSpec spec = leaf_spec(host);
      spec.not_after = now - kExpiredEndedAgo;
      spec.not_before = spec.not_after - kShortValidity;
      return chained_leaf(spec);
    }
    case Behaviour::NotYetValid: {
      CertSpec spec = leaf_spec(host);
      spec.not_before = now + kNotYetValidStartsIn;
      spec.not_after = spec.not_before + kShortValidity;
      return chained_leaf(spec);
    }
    case Behaviour::WrongHost: return chained_leaf(leaf_spec(kWrongHostName));
    case Behaviour::SelfSigned: return self_signed_leaf(host);
    case Behaviour::UntrustedRoot: return untrusted_leaf(host);
    case Behaviour::IncompleteChain: {
      auto identity = chained_leaf(leaf_spec(host));
      if (identity) identity->chain.clear();
      return identity;
    }
    case Behaviour::ReversedChain: {
      // OpenSSL (like every server stack) sends first the certificate whose key signs the
      // handshake. For the intermediate to come first, its key signs; the leaf follows it.
      auto identity = chained_leaf(leaf_spec(host));
      if (!identity) return identity;
      ServedIdentity reversed;
      reversed.certificate = identity->chain.front().clone();
      reversed.chain.push_back(std::move(identity->certificate));
      return reversed;
    }
    case Behaviour::WeakDh: return rsa_leaf(kDheRsaBits, host);
    case Behaviour::Rsa1024: return rsa_leaf(kWeakRsaBits, host);
    case Behaviour::LongChain: {
      if (options.chain_length == 0 || options.chain_length > kMaxLabChainLength) {
        return tl::unexpected("chain_length must be 1.." + std::to_string(kMaxLabChainLength));
      }
      return cached("chain" + std::to_string(options.chain_length) + ":" + host,
                    [&] { return long_chain(options.chain_length, host); });
    }
    case Behaviour::HugeCertificate: {
      if (options.huge_certificate_bytes > kMaxLabCertificateBytes) {
        return tl::unexpected("huge_certificate_bytes is capped at " + std::to_string(kMaxLabCertificateBytes));
      }
      return cached("huge" + std::to_string(options.huge_certificate_bytes) + ":" + host,
                    [&] { return huge_leaf(options.huge_certificate_bytes, host); });
    }
    default: return chained_leaf(leaf_spec(host));
  }
}

tl::expected<EvpPkeyPtr, LabError> weak_dh_parameters() {
  using PkeyCtxPtr = pki::EvpPkeyCtxPtr;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr));
  char group[] = "dh_1024_160";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                               OSSL_PARAM_construct_end()};
  EVP_PKEY* parameters = nullptr;
  if (!ctx || EVP_PKEY_paramgen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_params(ctx.get(), params) != 1 ||
      EVP_PKEY_paramgen(ctx.get(), &parameters) != 1) {
    return tl::unexpected(openssl_failure("1024-bit DH group"));
  }
  return EvpPkeyPtr(parameters);
}

}  // namespace tlsdoctor::lab
