// Loads OpenSSL's default trust paths into a store, decoding the default bundle's certificates on demand through the shared cache.
#include "pki/default_store.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pki/certificate_subject.h"
#include "pki/decoded_certificates.h"
#include "pki/openssl_handles.h"

namespace tlsdoctor::pki {
namespace {

// The file OpenSSL's file lookup loads by default: SSL_CERT_FILE unless the process runs with
// raised privileges (OpenSSL's ossl_safe_getenv is secure_getenv too), else the built-in path.
const char* default_file() {
  const char* from_environment = ::secure_getenv(X509_get_default_cert_file_env());
  return from_environment != nullptr ? from_environment : X509_get_default_cert_file();
}

// The bundle's certificates, still encoded, indexed by the hash OpenSSL files names under.
struct BundleIndex {
  std::vector<std::vector<std::uint8_t>> certificates;
  std::unordered_multimap<unsigned long, std::size_t> by_subject_hash;
};

// OpenSSL's hash of the subject name of a DER certificate, or nothing when its outline or its
// subject does not decode.
std::optional<unsigned long> subject_hash(std::span<const std::uint8_t> der) {
  const auto subject = certificate_subject_der(der);
  if (!subject) return std::nullopt;
  const unsigned char* p = subject->data();
  const X509NamePtr name(d2i_X509_NAME(nullptr, &p, static_cast<long>(subject->size())));
  if (!name) return std::nullopt;
  int ok = 0;
  const unsigned long hash = X509_NAME_hash_ex(name.get(), nullptr, nullptr, &ok);
  if (ok != 1) return std::nullopt;
  return hash;
}

// Every certificate of `path`, indexed, or nothing when the file holds anything OpenSSL's
// loader treats differently from a plain certificate (trust settings, CRLs, keys, encrypted
// blocks), a block whose outline does not hold, or cannot be read at all: the caller then
// leaves the file to OpenSSL.
std::optional<BundleIndex> index_plain_certificates(const char* path) {
  BioPtr in(BIO_new_file(path, "r"));
  if (!in) return std::nullopt;
  BundleIndex index;
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long length = 0;
    const int read = PEM_read_bio(in.get(), &name, &header, &data, &length);
    const OpenSslStringPtr owned_name(name);
    const OpenSslStringPtr owned_header(header);
    const OpenSslBytesPtr owned_data(data);
    if (read != 1) {
      // The end of the file, as OpenSSL's loader recognises it; anything else is damage.
      if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE) return std::nullopt;
      break;
    }
    const std::string_view kind(name);
    if ((kind != PEM_STRING_X509 && kind != PEM_STRING_X509_OLD) || std::strlen(header) != 0 || length <= 0) {
      return std::nullopt;
    }
    const std::span<const std::uint8_t> der(data, static_cast<std::size_t>(length));
    const auto hash = subject_hash(der);
    if (!hash) return std::nullopt;
    index.by_subject_hash.emplace(*hash, index.certificates.size());
    index.certificates.emplace_back(der.begin(), der.end());
  }
  return index;
}

// The lookup's answer for one subject: every bundle certificate with that subject goes into the
// store (as OpenSSL's file lookup would have put them there up front), and the first is returned.
int bundle_get_by_subject(X509_LOOKUP* lookup, X509_LOOKUP_TYPE type, const X509_NAME* name, X509_OBJECT* ret) {
  const auto* index = static_cast<const BundleIndex*>(X509_LOOKUP_get_method_data(lookup));
  if (type != X509_LU_X509 || index == nullptr) return 0;
  int ok = 0;
  const unsigned long hash = X509_NAME_hash_ex(name, nullptr, nullptr, &ok);
  if (ok != 1) return 0;
  X509_STORE* store = X509_LOOKUP_get_store(lookup);
  X509* first = nullptr;
  const auto [begin, end] = index->by_subject_hash.equal_range(hash);
  for (auto it = begin; it != end; ++it) {
    auto decoded = decode_certificate(index->certificates[it->second]);
    if (!decoded) continue;  // OpenSSL's loader would have refused the whole file; see the header
    X509* cert = decoded->cert.get();
    if (X509_NAME_cmp(X509_get_subject_name(cert), name) != 0) continue;  // another name, same hash
    // The store keeps its own reference (a certificate already there is not added twice).
    if (X509_STORE_add_cert(store, cert) != 1) continue;
    if (first == nullptr) first = cert;
  }
  ERR_clear_error();
  if (first == nullptr || X509_OBJECT_set1_X509(ret, first) != 1) return 0;
  // OpenSSL's caller takes its own reference from `ret` and never frees `ret` itself: like the
  // hashed directory's lookup, leave it borrowed from the store.
  X509_free(first);
  return 1;
}

void bundle_free(X509_LOOKUP* lookup) {
  delete static_cast<BundleIndex*>(X509_LOOKUP_get_method_data(lookup));
  X509_LOOKUP_set_method_data(lookup, nullptr);
}

// One method for the process: OpenSSL keeps a pointer to it in every lookup made from it.
X509_LOOKUP_METHOD* bundle_method() {
  static X509_LOOKUP_METHOD* const method = [] {
    X509_LOOKUP_METHOD* made = X509_LOOKUP_meth_new("tlsdoctor default bundle, decoded on demand");
    if (made != nullptr && (X509_LOOKUP_meth_set_get_by_subject(made, bundle_get_by_subject) != 1 ||
                            X509_LOOKUP_meth_set_free(made, bundle_free) != 1)) {
      X509_LOOKUP_meth_free(made);
      made = nullptr;
    }
    return made;
  }();
  return method;
}

}  // namespace

bool load_default_paths(X509_STORE* store) {
  auto index = index_plain_certificates(default_file());
  ERR_clear_error();
  X509_LOOKUP_METHOD* method = bundle_method();
  if (!index || method == nullptr) return X509_STORE_set_default_paths(store) == 1;
  // In place of X509_STORE_set_default_paths' file lookup, which decodes the whole file at once.
  X509_LOOKUP* bundle = X509_STORE_add_lookup(store, method);
  if (bundle == nullptr) return false;
  auto* owned = new BundleIndex(std::move(*index));
  if (X509_LOOKUP_set_method_data(bundle, owned) != 1) {
    delete owned;
    return false;
  }
  // The rest of X509_STORE_set_default_paths: the hashed directory and the default store URI;
  // their own failures to find files are not errors.
  X509_LOOKUP* directory = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir());
  if (directory == nullptr) return false;
  X509_LOOKUP_add_dir(directory, nullptr, X509_FILETYPE_DEFAULT);
  X509_LOOKUP* uris = X509_STORE_add_lookup(store, X509_LOOKUP_store());
  if (uris == nullptr) return false;
  X509_LOOKUP_add_store_ex(uris, nullptr, nullptr, nullptr);
  ERR_clear_error();
  return true;
}

}  // namespace tlsdoctor::pki
