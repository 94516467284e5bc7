// Tests for OpenSSL's compiled-in verify locations (checker/pki/openssl_defaults.cpp).
#include <catch2/catch.hpp>

#include "pki/openssl_defaults.h"

TEST_CASE("OpenSSL's default verify paths and their variables are known", "[openssl_defaults]") {
  const auto defaults = tlsdoctor::pki::openssl_defaults();
  CHECK_FALSE(defaults.cert_file.empty());
  CHECK_FALSE(defaults.cert_dir.empty());
  CHECK(defaults.cert_file.front() == '/');
  CHECK(defaults.cert_file_env == "SSL_CERT_FILE");
  CHECK(defaults.cert_dir_env == "SSL_CERT_DIR");
}
