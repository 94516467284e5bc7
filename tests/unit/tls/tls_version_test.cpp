// Tests for TLS version names, OpenSSL numbers and the policy-file spellings parser.
#include <catch2/catch.hpp>
#include <openssl/ssl.h>

#include "tls/tls_version.h"

using tlsdoctor::tls::parse_tls_version;
using tlsdoctor::tls::TlsVersion;

TEST_CASE("tls_version: every stack's spelling is read", "[tls]") {
  CHECK(parse_tls_version("TLSv1.2") == TlsVersion::Tls1_2);  // OpenSSL, Java
  CHECK(parse_tls_version("TLSv1") == TlsVersion::Tls1_0);
  CHECK(parse_tls_version("tls1.3") == TlsVersion::Tls1_3);   // browsers, NSS
  CHECK(parse_tls_version("tls1") == TlsVersion::Tls1_0);
  CHECK(parse_tls_version("TLS1.1") == TlsVersion::Tls1_1);   // GnuTLS config
  CHECK(parse_tls_version("VERS-TLS1.2") == TlsVersion::Tls1_2);
  CHECK(parse_tls_version("SSLv3") == TlsVersion::Ssl3);
  CHECK(parse_tls_version(" tlsv1.3 ") == TlsVersion::Tls1_3);
}

TEST_CASE("tls_version: non-versions are not guessed", "[tls]") {
  CHECK_FALSE(parse_tls_version("None"));
  CHECK_FALSE(parse_tls_version("DTLSv1.2"));
  CHECK_FALSE(parse_tls_version("TLSv1.4"));
  CHECK_FALSE(parse_tls_version(""));
}

TEST_CASE("tls_version: OpenSSL numbers round-trip and order holds", "[tls]") {
  for (const auto v : tlsdoctor::tls::kMeasuredTlsVersions) CHECK(tlsdoctor::tls::from_openssl(to_openssl(v)) == v);
  CHECK(to_openssl(TlsVersion::Tls1_2) == TLS1_2_VERSION);
  CHECK_FALSE(tlsdoctor::tls::from_openssl(0));
  CHECK(TlsVersion::Tls1_0 < TlsVersion::Tls1_3);
  CHECK(to_string(TlsVersion::Tls1_2) == "TLS 1.2");
  CHECK(short_name(TlsVersion::Tls1_3) == "1.3");
}
