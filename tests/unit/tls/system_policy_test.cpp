// Tests for reading back OpenSSL's applied client policy and its verdict on cipher strings.
#include <catch2/catch.hpp>

#include "tls/system_policy.h"

TEST_CASE("system_policy: the default config path is OPENSSLDIR/openssl.cnf", "[tls]") {
  const auto path = tlsdoctor::tls::openssl_default_config_file();
  CHECK(path.starts_with("/"));
  CHECK(path.ends_with("/openssl.cnf"));
  CHECK_FALSE(tlsdoctor::tls::openssl_loaded_config_file().empty());
  CHECK(tlsdoctor::tls::openssl_version_text().starts_with("OpenSSL 3"));
}

TEST_CASE("system_policy: a fresh client context reports its policy", "[tls]") {
  const auto policy = tlsdoctor::tls::effective_client_policy();
  REQUIRE(policy.context_created);
  CHECK(policy.security_level >= 0);
  CHECK(policy.security_level <= 5);
  // Any sane configuration leaves ECDHE with AES-GCM or ChaCha20 for TLS 1.2, and TLS 1.3 suites.
  CHECK(policy.tls12_modern_ciphers > 0);
  CHECK(policy.tls12_ciphers.size() >= policy.tls12_modern_ciphers);
  CHECK_FALSE(policy.tls13_ciphersuites.empty());
  CHECK_FALSE(policy.config_file.empty());
}

TEST_CASE("system_policy: OpenSSL's verdict on cipher strings", "[tls]") {
  CHECK_FALSE(tlsdoctor::tls::cipher_string_error("DEFAULT:@SECLEVEL=2"));
  CHECK(tlsdoctor::tls::cipher_string_error("NO-SUCH-CIPHER") == std::optional<std::string>("no cipher match"));
  CHECK_FALSE(tlsdoctor::tls::ciphersuites_error("TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"));
  CHECK(tlsdoctor::tls::ciphersuites_error("TLS_NO_SUCH_SUITE").has_value());
}
