// Builds an ECDSA key (P-256 or P-384) and a self-signed certificate in memory.
#include "tls/self_signed.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "tls/openssl_errors.h"

namespace tlsdoctor::tls {
namespace {

// A loopback server lives for one measurement: an hour of backdating absorbs a clock that is
// a little behind, a day ahead is far longer than any run.
constexpr long kBackdateSeconds = 60L * 60L;
constexpr long kValiditySeconds = 24L * 60L * 60L;
// Random serial of 64 bits, as CA/B Forum asks of real certificates (unique per run is all we need).
constexpr int kSerialBits = 64;

tl::unexpected<Error> failure(const char* step) {
  return tl::unexpected(Error{"self-signed certificate", std::string(step) + ": " +
                                                             first_reason(take_openssl_errors(), "failed")});
}

}  // namespace

tl::expected<ServerIdentity, Error> make_self_signed(const std::string& common_name, SelfSignedKey key) {
  const bool p256 = key == SelfSignedKey::P256;
  ServerIdentity identity;
  identity.key.reset(EVP_EC_gen(p256 ? "P-256" : "P-384"));
  if (!identity.key) return failure(p256 ? "generating the P-256 key" : "generating the P-384 key");

  identity.certificate.reset(X509_new());
  X509* cert = identity.certificate.get();
  if (cert == nullptr) return failure("allocating the certificate");
  if (X509_set_version(cert, X509_VERSION_3) != 1) return failure("setting the version");

  std::unique_ptr<BIGNUM, OpenSslDeleter<BIGNUM, BN_free>> serial(BN_new());
  if (!serial || BN_rand(serial.get(), kSerialBits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) == nullptr) {
    return failure("setting the serial number");
  }
  if (X509_gmtime_adj(X509_getm_notBefore(cert), -kBackdateSeconds) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert), kValiditySeconds) == nullptr) {
    return failure("setting the validity");
  }
  X509_NAME* name = X509_get_subject_name(cert);
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) != 1 ||
      X509_set_issuer_name(cert, name) != 1) {
    return failure("setting the names");
  }
  if (X509_set_pubkey(cert, identity.key.get()) != 1) return failure("setting the public key");
  if (X509_sign(cert, identity.key.get(), p256 ? EVP_sha256() : EVP_sha384()) <= 0) return failure("signing");
  return identity;
}

}  // namespace tlsdoctor::tls
