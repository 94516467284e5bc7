// Loads OpenSSL's default trust paths into a store, decoding the default bundle's certificates through the shared cache.
#include "pki/default_store.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

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

void free_bytes(unsigned char* p) { OPENSSL_free(p); }
using OpenSslBytesPtr = std::unique_ptr<unsigned char, OpenSslDeleter<unsigned char, free_bytes>>;

// Every certificate of `path` decoded through the shared cache, or nothing when the file holds
// anything OpenSSL's loader treats differently from a plain certificate (trust settings, CRLs,
// keys, encrypted blocks), a block that does not decode, or cannot be read at all: the caller
// then leaves the file to OpenSSL.
std::optional<std::vector<X509Ptr>> plain_certificates(const char* path) {
  BioPtr in(BIO_new_file(path, "r"));
  if (!in) return std::nullopt;
  std::vector<X509Ptr> certs;
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
    auto decoded = decode_certificate({data, static_cast<std::size_t>(length)});
    if (!decoded) return std::nullopt;
    certs.push_back(std::move(decoded->cert));
  }
  return certs;
}

}  // namespace

bool load_default_paths(X509_STORE* store) {
  auto certs = plain_certificates(default_file());
  ERR_clear_error();
  if (!certs) return X509_STORE_set_default_paths(store) == 1;
  // The rest of X509_STORE_set_default_paths: a file lookup (with nothing left to load), the
  // hashed directory, the default store URI; their own failures to find files are not errors.
  if (X509_STORE_add_lookup(store, X509_LOOKUP_file()) == nullptr) return false;
  for (const auto& cert : *certs) {
    if (X509_STORE_add_cert(store, cert.get()) != 1) return false;
  }
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
