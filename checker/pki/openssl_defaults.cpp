// Reads the default verify locations compiled into the linked OpenSSL.
#include "pki/openssl_defaults.h"

#include <openssl/x509.h>

namespace tlsdoctor::pki {

OpensslDefaults openssl_defaults() {
  auto text = [](const char* s) { return s != nullptr ? std::string(s) : std::string(); };
  return OpensslDefaults{text(X509_get_default_cert_file()), text(X509_get_default_cert_dir()),
                         text(X509_get_default_cert_file_env()), text(X509_get_default_cert_dir_env())};
}

}  // namespace tlsdoctor::pki
