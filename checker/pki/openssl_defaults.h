// Where this OpenSSL looks for trusted roots when no one tells it: compiled-in paths and variables.
#pragma once

#include <string>

namespace tlsdoctor::pki {

struct OpensslDefaults {
  std::string cert_file;      // X509_get_default_cert_file(), e.g. "/usr/lib/ssl/cert.pem"
  std::string cert_dir;       // X509_get_default_cert_dir(), e.g. "/usr/lib/ssl/certs"
  std::string cert_file_env;  // X509_get_default_cert_file_env(): "SSL_CERT_FILE"
  std::string cert_dir_env;   // X509_get_default_cert_dir_env(): "SSL_CERT_DIR"
};

// The values of the OpenSSL library this binary is linked with (platform cannot ask OpenSSL,
// so the trust store check hands these to it as hints).
OpensslDefaults openssl_defaults();

}  // namespace tlsdoctor::pki
